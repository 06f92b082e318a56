import CasebookKit

/// A GraphQL error from Linear (`errors[0]` and its `extensions`), with what the answer's headers
/// say about the request budget. Linear sends these with HTTP 200 (user errors) or 400
/// (authentication, validation, `RATELIMITED`), so the status alone never decides.
struct LinearError: Error, Sendable, Equatable {
    /// `extensions.type`, lower-case as Linear's SDK maps it: `invalid input`, `authentication error`, `ratelimited`, …
    var type: String
    /// `extensions.code`: `INPUT_ERROR`, `AUTHENTICATION_ERROR`, `RATELIMITED`, …
    var code: String?
    /// Linear's own words (`userPresentableMessage` when there is one).
    var message: String
    var httpStatus: Int
    /// When the request budget refills (`x-ratelimit-requests-reset`, epoch milliseconds).
    var resetAt: Date?

    init?(_ json: JSONValue, httpStatus: Int, headers: [String: String]) {
        guard let first = json["errors"]?.array?.first else { return nil }
        let extensions = first["extensions"]
        code = extensions?["code"]?.string
        type = extensions?["type"]?.string?.lowercased() ?? (code == "RATELIMITED" ? "ratelimited" : "unknown")
        message = extensions?["userPresentableMessage"]?.string ?? first["message"]?.string ?? "no message"
        self.httpStatus = httpStatus
        resetAt = Self.reset(headers)
    }

    var isRateLimited: Bool { type == "ratelimited" || code == "RATELIMITED" }
    var isNotFound: Bool { type == "invalid input" && message.hasPrefix("Entity not found") }

    /// Errors that waiting can fix; everything else (invalid input, authentication, forbidden,
    /// a query Linear does not accept) needs a person.
    var isTransient: Bool {
        ["internal error", "lock timeout", "network error", "bootstrap error", "other", "unknown"].contains(type) || httpStatus >= 500
    }

    /// As the kit's error: the reason people read in the channel, and whether to retry.
    var integrationError: IntegrationError {
        let reason: String
        switch type {
        case "authentication error": reason = "Linear did not accept the API key (\(message))"
        case "forbidden": reason = "the API key may not do this (\(message))"
        case "invalid input": reason = "Linear refused the issue as invalid input: \(message)"
        case "ratelimited": reason = "Linear's rate limit was reached (\(message))"
        default: reason = "Linear answered \(type): \(message)"
        }
        return IntegrationError(integration: LinearAPI.service, kind: .rejected(reason), serviceMessage: message, retryable: isTransient || isRateLimited)
    }

    /// The budget's reset from `x-ratelimit-requests-reset` (or the complexity one): epoch
    /// milliseconds as observed, seconds if the number is too small to be milliseconds.
    static func reset(_ headers: [String: String]) -> Date? {
        let values = ["x-ratelimit-requests-reset", "x-ratelimit-complexity-reset"].compactMap { headers[$0].flatMap(Double.init) }
        guard let value = values.max(), value.isFinite, value > 0 else { return nil }
        return Date(timeIntervalSince1970: value > 100_000_000_000 ? value / 1000 : value)
    }
}
