import CasebookKit

/// One delivery from Slack, the same whichever transport brought it (Socket Mode envelope or
/// HTTP Request URL), so one dispatcher serves both.
public struct Inbound: Sendable {
    public enum Kind: String, Sendable {
        case slashCommand = "slash_commands"
        case interactive
        case eventsAPI = "events_api"
    }

    public var kind: Kind
    /// The payload exactly as an HTTP Request URL would receive it, decoded to JSON (slash command
    /// form fields become string values).
    public var payload: JSONValue
    /// The Socket Mode envelope id, or a synthetic id for HTTP deliveries.
    public var deliveryID: String
    /// `retry_attempt` of an envelope or `X-Slack-Retry-Num` of an HTTP request.
    public var retryAttempt: Int
    /// When the transport received it: the ack budget counts from here.
    public var receivedAt: ContinuousClock.Instant

    public init(kind: Kind, payload: JSONValue, deliveryID: String, retryAttempt: Int = 0, receivedAt: ContinuousClock.Instant = .now) {
        self.kind = kind
        self.payload = payload
        self.deliveryID = deliveryID
        self.retryAttempt = retryAttempt
        self.receivedAt = receivedAt
    }
}

/// What transports hand deliveries to.
public protocol InboundHandling: Sendable {
    /// Handles one delivery and returns the ack body within the ack budget: the reply when the
    /// handler finished in time (a slash command's message, a view submission's `response_action`),
    /// or `nil` for an empty ack. Work still running after the ack continues inside the dispatcher's
    /// own service and delivers its reply through `response_url`.
    func handle(_ inbound: Inbound) async -> JSONValue?
}
