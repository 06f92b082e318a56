import CasebookKit
import SlackSimulator

extension SandboxHost {
    /// `user` adds the reaction `name` to message `messageTS` in `channel`, and the `reaction_added`
    /// event is delivered when Slack would send one (the app subscribes to it and its bot is in the
    /// channel). Returns the event delivered, or nil when Slack sent none.
    @discardableResult
    public func react(_ name: String, as user: String, channel: String, messageTS: String) async throws -> JSONValue? {
        guard let event = try simulator.addReaction(name, user: user, channel: channel, ts: messageTS) else { return nil }
        try await deliver(event)
        return event
    }
}
