public import CasebookKit
import Foundation

/// Reacting to messages as a person does, with Slack's rules for who hears about it: the app gets
/// `reaction_added` only when it subscribes to the event, holds `reactions:read`, and its bot is a
/// member of the channel (reference/slack.md §4.2: "sent only for items the bot can see").
extension SlackSimulator {
    /// Sets the event types the app subscribes to (from the rendered manifest); nil subscribes to all.
    public func subscribeEvents(_ events: Set<String>?) {
        store.withState { $0.subscribedEvents = events }
    }

    public var subscribedEvents: Set<String>? { store.withState { $0.subscribedEvents } }

    /// `user` adds `:name:` to the message `ts` in `channel` (ids or names). Throws where Slack's
    /// client would refuse (not in the channel, archived, already reacted so). Returns the
    /// `reaction_added` event Slack sends the app, or nil when it sends none.
    public func addReaction(_ name: String, user: String, channel: String, ts: String) throws -> JSONValue? {
        let now = clock.now()
        return try store.withState { state in
            let (person, conversation) = try Self.activeMember(state, user, of: channel)
            guard let message = state.message(channel: conversation.id, ts: ts) else { throw SimulatorError("no message \(ts) in \(conversation.name)") }
            if message.reactions.contains(where: { $0.name == name && $0.users.contains(person.id) }) {
                throw SimulatorError("already_reacted: \(person.name) has already added :\(name): to that message")
            }
            state.addReaction(name, by: person.id, channel: conversation.id, ts: ts)
            let subscribed = state.subscribedEvents.map { $0.contains("reaction_added") } ?? true
            guard subscribed, state.isGranted("reactions:read"), conversation.members.contains(state.botUserID) else { return nil }
            return state.wrapEvent([
                "type": "reaction_added", "user": .string(person.id), "reaction": .string(name), "item_user": .string(message.user),
                "item": ["type": "message", "channel": .string(conversation.id), "ts": .string(ts)],
            ], now: now)
        }
    }

    /// A person and a channel they may write in (a member, not archived), as Slack's client requires.
    static func activeMember(_ state: WorkspaceState, _ user: String, of channel: String) throws -> (SimulatedUser, Conversation) {
        let person = try Self.person(state, user)
        let conversation = try Self.conversation(state, channel)
        if !conversation.members.contains(person.id) { throw SimulatorError("\(person.name) is not in \(conversation.name)") }
        if conversation.isArchived { throw SimulatorError("\(conversation.name) is archived") }
        return (person, conversation)
    }
}
