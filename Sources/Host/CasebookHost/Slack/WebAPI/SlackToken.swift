/// A Slack token (`xoxb-` bot, `xapp-` app-level). Wrapped so that it cannot reach a log line or
/// an error text by accident: every textual and reflected form shows only its kind.
public struct SlackToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; read only to build the `Authorization` header.
    public let secret: String

    public init(_ secret: String) {
        self.secret = secret
    }

    /// `xoxb`, `xapp`, `xoxp`, … — safe to log.
    public var kind: String {
        secret.split(separator: "-", maxSplits: 1).first.map(String.init) ?? "unknown"
    }

    public var description: String { "\(kind)-<redacted>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["kind": kind]) }
}
