/// Why a call to a third-party service failed, in terms a person and a retry policy can use.
public struct IntegrationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The service answered with this non-2xx status.
        case status(Int)
        /// No answer: connection refused or reset, DNS, TLS.
        case transport(String)
        /// One attempt took longer than its timeout.
        case timeout
        /// All attempts together ran out of the request's deadline.
        case deadlineExceeded
        /// A 2xx whose body could not be used.
        case invalidResponse(String)
        /// The service's answer means the configuration is wrong or the request was refused for good
        /// (the plugin's own verdict, e.g. "parent page not found").
        case rejected(String)
    }

    /// The integration's name ("PagerDuty").
    public var integration: String
    public var kind: Kind
    /// The service's error body, secrets redacted, at most 2,000 characters.
    public var body: String?
    /// The service's own message, when the plugin extracted one from ``body``.
    public var serviceMessage: String?
    /// Whether trying again later can help (429, 5xx, transport problems, timeouts).
    public var retryable: Bool
    /// How long the service asked us to wait, capped (``RetryAfter``).
    public var retryAfter: Duration?
    /// The answer's headers (names lowercased) when the service answered: some services say when to
    /// come back in their own headers (Linear's `x-ratelimit-requests-reset` on a 400).
    public var headers: [String: String]

    public init(
        integration: String, kind: Kind, body: String? = nil, serviceMessage: String? = nil, retryable: Bool, retryAfter: Duration? = nil,
        headers: [String: String] = [:]
    ) {
        self.integration = integration
        self.kind = kind
        self.body = body
        self.serviceMessage = serviceMessage
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.headers = headers
    }

    /// A permanent failure in words, for the plugin's own checks of an answer.
    public static func rejected(_ integration: String, _ reason: String) -> IntegrationError {
        IntegrationError(integration: integration, kind: .rejected(reason), retryable: false)
    }

    /// The HTTP status, when the service answered.
    public var status: Int? {
        if case .status(let status) = kind { return status }
        return nil
    }

    /// What went wrong, without the integration's name: "HTTP 400: Invalid routing key".
    public var reason: String {
        let detail = serviceMessage ?? body.map { String($0.prefix(300)) }
        switch kind {
        case .status(let status):
            return detail.map { "HTTP \(status): \($0)" } ?? "HTTP \(status)"
        case .transport(let what): return "could not reach it (\(what))"
        case .timeout: return "it did not answer in time"
        case .deadlineExceeded: return "it did not answer before the deadline, retries included"
        case .invalidResponse(let what): return "its answer could not be read (\(what))"
        case .rejected(let reason): return reason
        }
    }

    public var description: String { "\(integration): \(reason)" }
}
