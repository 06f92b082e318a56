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

/// How a transport acknowledges one delivery. Exactly one of the two is called, once.
public struct Acknowledgement: Sendable {
    /// Acks now, from the handler's task: with the reply's ack body when the handler finished
    /// within the ack budget (a slash command's message, a view submission's `response_action`),
    /// or `nil` for an empty ack.
    public var send: @Sendable (JSONValue?) async -> Void
    /// Acks empty because the budget ran out while the handler is still running. Called by the
    /// dispatcher's deadline sweeper, which must not wait: the transport queues the ack.
    public var sendEmptyNow: @Sendable () -> Void

    public init(send: @escaping @Sendable (JSONValue?) async -> Void, sendEmptyNow: @escaping @Sendable () -> Void) {
        self.send = send
        self.sendEmptyNow = sendEmptyNow
    }
}

/// What Socket Mode hands deliveries to. The ack travels on the socket, independently of the
/// handler, so the handler runs on the transport's own task: no hand-over on the ack path.
public protocol InboundHandling: Sendable {
    /// Handles one delivery in the caller's task and acks it through `ack`. Returns when the
    /// handler is done; a reply that missed the ack has then been delivered through `response_url`
    /// (or the Web API).
    func handle(_ inbound: Inbound, ack: Acknowledgement) async
}

/// What the HTTP Request URL hands deliveries to. The HTTP response *is* the ack, so the handler
/// must run elsewhere when it outlives the budget.
public protocol InboundResponding: Sendable {
    /// Returns the ack body within the ack budget: the reply when the handler finished in time, or
    /// `nil` for an empty ack. Work still running after the ack continues inside the dispatcher's
    /// own service and delivers its reply through `response_url`.
    func respond(to inbound: Inbound) async -> JSONValue?
}
