public import CasebookKit

/// Read access to what the app did, for assertions and the playground.
extension SlackSimulator {
    /// A conversation by id or name (`C0INCIDENTS`, `incidents`, `#incidents`).
    public func channel(_ reference: String) -> Conversation? {
        store.withState { $0.conversation(reference) }
    }

    /// Every conversation, in creation order (seeded ones first).
    public var conversations: [Conversation] {
        store.withState { state in state.conversationOrder.compactMap { state.conversations[$0] } }
    }

    /// A user by id or name (`U0ALICE`, `alice`, `@alice`).
    public func user(_ reference: String) -> SimulatedUser? {
        store.withState { $0.user(reference) }
    }

    /// Messages of a conversation (by id or name), oldest first, thread replies included.
    public func messages(in channel: String) -> [StoredMessage] {
        store.withState { state in state.conversation(channel).flatMap { state.messages[$0.id] } ?? [] }
    }

    /// A stored message.
    public func message(in channel: String, ts: String) -> StoredMessage? {
        store.withState { state in state.conversation(channel).flatMap { state.message(channel: $0.id, ts: ts) } }
    }

    /// The bot's DM conversation id with a user, if one was opened.
    public func directMessageChannel(with user: String) -> String? {
        store.withState { state in
            guard let id = state.user(user)?.id else { return nil }
            return state.conversations.values.first { $0.isIM && $0.imUser == id }?.id
        }
    }

    /// Ephemeral messages a user was shown (optionally in one channel), oldest first.
    public func ephemeralMessages(for user: String, in channel: String? = nil) -> [EphemeralMessage] {
        store.withState { state in
            let userID = state.user(user)?.id ?? user
            let channelID = channel.flatMap { state.conversation($0)?.id }
            return state.ephemerals.filter { $0.user == userID && (channelID == nil || $0.channel == channelID) }
        }
    }

    /// The user's open modal stack, root first (empty when no modal is open).
    /// The bodies the app posted to a `response_url` this simulator handed out, in order.
    public func replies(to responseURL: String) -> [JSONValue] {
        guard let id = responseURL.split(separator: "/").last.map(String.init) else { return [] }
        return store.withState { $0.responseTargets[id]?.replies ?? [] }
    }

    public func openViews(for user: String) -> [StoredView] {
        store.withState { state in
            let userID = state.user(user)?.id ?? user
            return (state.viewStacks[userID] ?? []).compactMap { state.views[$0] }
        }
    }

    /// The top modal a user sees.
    public func topView(for user: String) -> StoredView? { openViews(for: user).last }

    /// A view (open modal or Home tab) by id.
    public func view(_ id: String) -> StoredView? { store.withState { $0.views[id] } }

    /// Modals that were closed (by submission, `clear`, or a user closing them), oldest first.
    public var closedViews: [StoredView] { store.withState { $0.closedViews } }

    public func homeView(for user: String) -> StoredView? {
        store.withState { state in state.user(user).flatMap { state.homeViews[$0.id] }.flatMap { state.views[$0] } }
    }

    /// Files created by the upload flow, by id order.
    public var files: [StoredFile] { store.withState { $0.files.values.sorted { $0.id < $1.id } } }

    // MARK: Call log

    /// Every Web API call in arrival order.
    public var calls: [APICallRecord] { callLog.all }

    public func calls(to method: String) -> [APICallRecord] { callLog.all.filter { $0.method == method } }

    /// Names of the methods called, in order.
    public var calledMethods: [String] { callLog.all.map(\.method) }

    public func clearCallLog() { callLog.clear() }

    // MARK: Events Slack would send

    /// Events API payloads (`event_callback`) Slack would have sent because of the app's own
    /// calls (`member_joined_channel` after invites and joins, `channel_archive`, `channel_rename`,
    /// …); returned once and then forgotten. Deliver them with ``deliver(_:timeout:)`` if wanted.
    public func takeEmittedEvents() -> [JSONValue] {
        store.withState { state in
            defer { state.emittedEvents = [] }
            return state.emittedEvents
        }
    }
}
