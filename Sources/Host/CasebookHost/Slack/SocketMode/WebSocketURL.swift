/// A `ws://` or `wss://` URL split into what connecting needs: where to connect, whether to speak
/// TLS, and the request target and `Host` header of the upgrade request. Slack hands out
/// `wss://wss-primary.slack.com/link/?ticket=…&app_id=…`; tests use `ws://127.0.0.1:<port>/…`.
struct WebSocketURL: Sendable, Equatable {
    /// The host to connect to (an IPv6 literal without its brackets).
    var host: String
    var port: Int
    var usesTLS: Bool
    /// Path and query, as sent in the request line (`/` when the URL has no path).
    var target: String
    /// The `Host` header: the host as written in the URL, with the port only when it is not the
    /// scheme's default (RFC 6455 §4.1, RFC 7230 §5.4).
    var hostHeader: String

    /// The host name to send as TLS SNI, or nil for an IP literal (SNI carries names only).
    var serverName: String? {
        let isIPv4 = !host.isEmpty && host.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
        return isIPv4 || host.contains(":") ? nil : host
    }

    struct Invalid: Error, CustomStringConvertible, Equatable {
        var url: String
        var description: String { "not a ws:// or wss:// URL: \(url)" }
    }

    init(_ url: String) throws(Invalid) {
        let invalid = Invalid(url: url)
        let rest: Substring
        let lowered = url.lowercased()
        if lowered.hasPrefix("wss://") {
            usesTLS = true
            rest = url.dropFirst(6)
        } else if lowered.hasPrefix("ws://") {
            usesTLS = false
            rest = url.dropFirst(5)
        } else {
            throw invalid
        }
        // Drop any fragment: it never goes on the wire.
        let withoutFragment = rest.prefix { $0 != "#" }
        let authorityEnd = withoutFragment.firstIndex { $0 == "/" || $0 == "?" } ?? withoutFragment.endIndex
        var authority = withoutFragment[..<authorityEnd]
        let pathAndQuery = withoutFragment[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }  // userinfo is not sent
        guard !authority.isEmpty else { throw invalid }

        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portPart = nil
            } else {
                guard after.hasPrefix(":") else { throw invalid }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
            portPart = nil
        }
        guard !hostPart.isEmpty else { throw invalid }
        let defaultPort = usesTLS ? 443 : 80
        if let portPart, !portPart.isEmpty {
            guard portPart.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portPart), (1...65535).contains(port) else { throw invalid }
            self.port = port
        } else {
            self.port = defaultPort
        }
        host = String(hostPart)
        let writtenHost = host.contains(":") ? "[\(host)]" : host
        hostHeader = port == defaultPort ? writtenHost : "\(writtenHost):\(port)"
        target = pathAndQuery.hasPrefix("/") ? String(pathAndQuery) : "/" + pathAndQuery
    }
}
