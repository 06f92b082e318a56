import Crypto

/// How a plugin's webhook tells a real sender from anyone else, checked before the body is parsed:
///
/// ```swift
/// routes.webhook(.post, "grafana-oncall",
///                authentication: .anyOf([.bearer(config.token), .basic(password: config.token)])) { … }
/// ```
/// An empty configured secret never authenticates anything.
public struct WebhookAuthentication: Sendable {
    let accepts: @Sendable (WebhookRequest, Date) -> Bool

    public init(_ accepts: @escaping @Sendable (WebhookRequest, Date) -> Bool) {
        self.accepts = accepts
    }

    /// Whether `request` carries valid credentials at `now`.
    public func accepts(_ request: WebhookRequest, now: Date) -> Bool { accepts(request, now) }

    /// No check at all (for endpoints that are public on purpose).
    public static let none = WebhookAuthentication { _, _ in true }

    /// `Authorization: Bearer <token>`.
    public static func bearer(_ token: String) -> WebhookAuthentication {
        .header("authorization", "Bearer \(token)", secretLength: token.count)
    }

    /// HTTP Basic auth with this password (and user name, when given).
    public static func basic(username: String? = nil, password: String) -> WebhookAuthentication {
        WebhookAuthentication { request, _ in
            guard !password.isEmpty, let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
                  let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":")
            else { return false }
            let user = String(text[..<colon])
            let given = String(text[text.index(after: colon)...])
            let userMatches = username.map { ConstantTime.equal(Data(user.utf8), Data($0.utf8)) } ?? true
            return ConstantTime.equal(Data(given.utf8), Data(password.utf8)) && userMatches
        }
    }

    /// A static token in a header (`X-Gitlab-Token: <token>`); the whole value must match.
    public static func header(_ name: String, _ value: String) -> WebhookAuthentication {
        .header(name, value, secretLength: value.count)
    }

    private static func header(_ name: String, _ value: String, secretLength: Int) -> WebhookAuthentication {
        let key = name.lowercased()
        return WebhookAuthentication { request, _ in
            guard secretLength > 0, let given = request.headers[key] else { return false }
            return ConstantTime.equal(Data(given.utf8), Data(value.utf8))
        }
    }

    /// How a signature is written in its header.
    public enum SignatureEncoding: Sendable { case hex, base64 }

    /// HMAC-SHA256 of the raw body in `header`, hex or base64, after an optional `prefix`
    /// (`sha256=`, `v1=`). With `timestampHeader`, the signed content is `<timestamp>.<body>` (or
    /// what `signedContent` builds) and a timestamp outside `window` of now is refused, so a captured
    /// request cannot be replayed later.
    public static func hmacSHA256(
        secret: String, header: String, encoding: SignatureEncoding = .hex, prefix: String = "",
        timestampHeader: String? = nil, window: Duration = .seconds(300),
        signedContent: @escaping @Sendable (_ timestamp: String?, _ body: Data) -> Data = { timestamp, body in
            timestamp.map { Data("\($0).".utf8) + body } ?? body
        }
    ) -> WebhookAuthentication {
        let key = SymmetricKey(data: Data(secret.utf8))
        let name = header.lowercased()
        let timestampName = timestampHeader?.lowercased()
        return WebhookAuthentication { request, now in
            guard !secret.isEmpty, var given = request.headers[name]?.trimmingCharacters(in: .whitespaces) else { return false }
            if !prefix.isEmpty {
                guard given.lowercased().hasPrefix(prefix.lowercased()) else { return false }
                given = String(given.dropFirst(prefix.count))
            }
            var timestamp: String?
            if let timestampName {
                guard let value = request.headers[timestampName], let seconds = Double(value.trimmingCharacters(in: .whitespaces)),
                      seconds.isFinite, abs(now.timeIntervalSince1970 - seconds) <= Double(window.components.seconds)
                else { return false }
                timestamp = value.trimmingCharacters(in: .whitespaces)
            }
            let expected = Data(HMAC<SHA256>.authenticationCode(for: signedContent(timestamp, request.body), using: key))
            let decoded: Data? = switch encoding {
            case .hex: Data(hex: given)
            case .base64: Data(base64Encoded: given)
            }
            guard let decoded else { return false }
            return ConstantTime.equal(decoded, expected)
        }
    }

    /// Accepted when any of `options` accepts (a token as Bearer or as a Basic password).
    public static func anyOf(_ options: [WebhookAuthentication]) -> WebhookAuthentication {
        WebhookAuthentication { request, now in options.contains { $0.accepts(request, now: now) } }
    }

    /// Accepted when every one of `requirements` accepts (a token and a signature).
    public static func allOf(_ requirements: [WebhookAuthentication]) -> WebhookAuthentication {
        WebhookAuthentication { request, now in !requirements.isEmpty && requirements.allSatisfy { $0.accepts(request, now: now) } }
    }
}

/// Comparisons whose time does not depend on where the inputs differ.
enum ConstantTime {
    static func equal(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

extension Data {
    /// Bytes from lowercase or uppercase hex; nil for anything else.
    init?(hex: String) {
        let characters = Array(hex.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(characters.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var index = 0
        while index < characters.count {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.init(bytes)
    }
}
