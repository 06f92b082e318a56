public import CasebookKit
import Foundation

/// Things people do that reach the app as Events API events. Each applies the change to the
/// workspace (as it happens in Slack) and returns the `event_callback` payload with a unique
/// `event_id` (reference/slack.md §4; shapes from java-slack-sdk's event samples).
extension SlackSimulator {
    /// Wraps any inner event (`["type": "…", …]`) in the Events API wrapper, without side effects.
    public func event(_ inner: JSONValue) -> JSONValue {
        let now = clock.now()
        return store.withState { $0.wrapEvent(inner.object ?? [:], now: now) }
    }

    /// An admin changes `user`'s account (a member made a guest, deactivated, …): applies `change`
    /// to the workspace and returns the `user_change` event, which carries the whole user object
    /// as `users.info` shows it (its e-mail only with `users:read.email`).
    public func changeUser(_ user: String, _ change: (inout SimulatedUser) -> Void) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            var person = try Self.person(state, user)
            change(&person)
            state.users[person.id] = person
            let inner: [String: JSONValue] = [
                "type": "user_change", "user": person.json(includeEmail: state.isGranted("users:read.email")),
                "cache_ts": .number(now.timeIntervalSince1970.rounded(.down)),
            ]
            return state.wrapEvent(inner, now: now)
        }
    }

    /// `user` joins `channel` (invited by `inviter` when given).
    public func memberJoinedChannel(user: String, channel: String, inviter: String? = nil) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            if conversation.members.contains(person.id) { throw SimulatorError("\(person.name) is already in \(conversation.name)") }
            let inviterID = try inviter.map { try Self.person(state, $0).id }
            // Nobody finds or joins a private channel by themselves: a member invites them.
            if conversation.kind == .privateChannel, !(inviterID.map(conversation.members.contains) ?? false) {
                throw SimulatorError("\(person.name) cannot join the private channel \(conversation.name) without an invitation from one of its members")
            }
            state.conversations[conversation.id]?.members.append(person.id)
            return state.wrapEvent(ConversationsAPI.memberJoined(state, user: person.id, channel: conversation.id, inviter: inviterID), now: now)
        }
    }

    /// `user` posts a message mentioning the bot; returns the `app_mention` event. The text gets
    /// the `<@BOT>` mention prepended unless it already contains it.
    public func appMention(user: String, channel: String, text: String, threadTS: String? = nil) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            let mention = "<@\(state.botUserID)>"
            let full = text.contains(mention) ? text : "\(mention) \(text)"
            let ts = state.nextTS(now)
            let blocks: [JSONValue] = [[
                "type": "rich_text", "block_id": .string(state.nextSecret(5)),
                "elements": [["type": "rich_text_section", "elements": [["type": "text", "text": .string(full)]]]],
            ]]
            var message = StoredMessage(channel: conversation.id, ts: ts, user: person.id, text: full, blocks: blocks, threadTS: threadTS)
            message.threadTS = threadTS
            state.append(message)
            var inner: [String: JSONValue] = [
                "type": "app_mention", "user": .string(person.id), "text": .string(full), "ts": .string(ts),
                "channel": .string(conversation.id), "event_ts": .string(ts), "team": .string(person.teamID),
                "blocks": .array(blocks), "client_msg_id": .string(UUID().uuidString.lowercased()),
            ]
            if let threadTS { inner["thread_ts"] = .string(threadTS) }
            return state.wrapEvent(inner, now: now)
        }
    }

    /// `user` adds `:reaction:` to a stored message.
    public func reactionAdded(user: String, channel: String, ts: String, reaction: String) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            guard let message = state.message(channel: conversation.id, ts: ts) else { throw SimulatorError("no message \(ts) in \(conversation.id)") }
            state.addReaction(reaction, by: person.id, channel: conversation.id, ts: ts)
            return state.wrapEvent([
                "type": "reaction_added", "user": .string(person.id), "reaction": .string(reaction),
                "item_user": .string(message.user),
                "item": ["type": "message", "channel": .string(conversation.id), "ts": .string(ts)],
            ], now: now)
        }
    }

    /// `user` archives `channel` (`channel_archive`, or `group_archive` for private channels).
    public func channelArchive(channel: String, user: String) throws -> JSONValue {
        try archiveChange(channel: channel, user: user, archived: true)
    }

    /// `user` unarchives `channel`.
    public func channelUnarchive(channel: String, user: String) throws -> JSONValue {
        try archiveChange(channel: channel, user: user, archived: false)
    }

    private func archiveChange(channel: String, user: String, archived: Bool) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            if conversation.isArchived == archived { throw SimulatorError("\(conversation.name) is already \(archived ? "" : "un")archived") }
            if archived && conversation.isGeneral { throw SimulatorError("#\(conversation.name) cannot be archived") }
            state.conversations[conversation.id]?.isArchived = archived
            let prefix = conversation.isPrivate ? "group" : "channel"
            return state.wrapEvent([
                "type": .string(prefix + (archived ? "_archive" : "_unarchive")), "channel": .string(conversation.id), "user": .string(person.id),
            ], now: now)
        }
    }

    /// `channel` is renamed to `name` by a person (`channel_rename` / `group_rename`).
    public func channelRename(channel: String, to name: String) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let conversation = try Self.conversation(state, channel)
            state.conversations[conversation.id]?.previousNames.append(conversation.name)
            state.conversations[conversation.id]?.name = name
            return state.wrapEvent([
                "type": .string(conversation.isPrivate ? "group_rename" : "channel_rename"),
                "channel": [
                    "id": .string(conversation.id), "name": .string(name), "name_normalized": .string(name),
                    "created": .number(Double(conversation.created)), "is_channel": .bool(!conversation.isPrivate), "is_mpim": false,
                ],
            ], now: now)
        }
    }
}
