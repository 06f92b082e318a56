public import CasebookKit

/// The three Socket Mode envelope types (reference/slack.md §1.4). HTTP mode uses the same kinds
/// to choose the body encoding (JSON events, form-encoded commands, `payload=` interactivity).
public enum EnvelopeKind: String, Sendable, CaseIterable {
    case eventsAPI = "events_api"
    case slashCommands = "slash_commands"
    case interactive

    /// Infers the kind from a payload the ``SlackSimulator`` action builders produced.
    public static func of(_ payload: JSONValue) -> EnvelopeKind {
        if payload["command"] != nil { return .slashCommands }
        if payload["type"]?.string == "event_callback" || payload["type"]?.string == "url_verification" { return .eventsAPI }
        return .interactive
    }

    /// Whether Slack lets the ack carry a response body for this payload: slash commands,
    /// view submissions and option requests (python-slack-sdk fixtures; bolt-python).
    static func acceptsResponsePayload(_ kind: EnvelopeKind, payload: JSONValue) -> Bool {
        switch kind {
        case .slashCommands: return true
        case .eventsAPI: return false
        case .interactive: return ["view_submission", "block_suggestion"].contains(payload["type"]?.string ?? "")
        }
    }
}

/// The client's answer to one delivered envelope.
public struct Ack: Sendable, Equatable {
    public var envelopeID: String
    public var kind: EnvelopeKind
    /// False when no ack frame arrived before the timeout.
    public var acked: Bool
    /// The ack frame's `payload`, if it carried one.
    public var payload: JSONValue?
    /// Time from sending the envelope to the ack frame's arrival (or to the timeout).
    public var latency: Duration
    /// The socket the envelope went to.
    public var connection: Int

    public init(envelopeID: String, kind: EnvelopeKind, acked: Bool, payload: JSONValue?, latency: Duration, connection: Int) {
        self.envelopeID = envelopeID
        self.kind = kind
        self.acked = acked
        self.payload = payload
        self.latency = latency
        self.connection = connection
    }
}

/// Reasons of Slack's `disconnect` frame (reference/slack.md §1.6).
public enum DisconnectReason: String, Sendable, CaseIterable {
    case warning
    case refreshRequested = "refresh_requested"
    case linkDisabled = "link_disabled"
    case tooManyWebsockets = "too_many_websockets"
}

/// A failure of the simulator's own API (not a Slack error).
public struct SimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
