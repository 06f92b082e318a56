import CasebookKit
import Foundation
import Synchronization

/// Everything the simulated Slack remembers. Mutated only inside ``SimulatorStore/withState(_:)``,
/// so each Web API call and each simulated user action is atomic, as it is in Slack.
struct WorkspaceState: Sendable {
    /// A trigger id handed out in a payload: valid for 3 s and for one `views.open`/`push`.
    struct Trigger: Sendable {
        var user: String
        var issued: Date
        var used: Bool
    }

    /// What a `response_url` acts on, and how often it was used.
    struct ResponseTarget: Sendable {
        var channel: String
        var user: String
        /// The message the interaction came from (for `replace_original` / `delete_original`).
        var messageTS: String?
        var messageIsEphemeral: Bool
        var created: Date
        var uses: Int
        /// What the app posted to this URL, in order (for tests waiting on a late reply).
        var replies: [JSONValue] = []
    }

    var workspace: Workspace
    var users: [String: SimulatedUser] = [:]
    var conversations: [String: Conversation] = [:]
    var conversationOrder: [String] = []
    var messages: [String: [StoredMessage]] = [:]
    var ephemerals: [EphemeralMessage] = []
    var views: [String: StoredView] = [:]
    /// Open modal stack per user, root first.
    var viewStacks: [String: [String]] = [:]
    var homeViews: [String: String] = [:]
    /// Whether the app's manifest enables the Home tab; nil allows publishing (no manifest given).
    var homeTabEnabled: Bool?
    var closedViews: [StoredView] = []
    var triggers: [String: Trigger] = [:]
    /// How long a trigger id stays valid: Slack's 3 s (reference/slack.md §3.6) unless a harness
    /// relaxes it (``SlackSimulator/setTriggerLifetime(_:)``).
    var triggerLifetime: TimeInterval = ViewsAPI.triggerLifetime
    var responseTargets: [String: ResponseTarget] = [:]
    var files: [String: StoredFile] = [:]
    var socketTickets: Set<String> = []
    /// Events API deliveries Slack would send because of Web API calls (e.g. `member_joined_channel`
    /// after an invite), in order; the harness decides whether to deliver them.
    var emittedEvents: [JSONValue] = []
    var grantedScopes: Set<String>?
    /// The Events API event types the app subscribes to (its manifest's `bot_events`); nil for all.
    var subscribedEvents: Set<String>?
    private var counter = 0
    private var lastTS: (seconds: Int, micros: Int) = (0, 0)

    init(workspace: Workspace) {
        self.workspace = workspace
        self.grantedScopes = workspace.grantedScopes
        for user in workspace.users { users[user.id] = user }
        for conversation in workspace.conversations {
            conversations[conversation.id] = conversation
            conversationOrder.append(conversation.id)
        }
    }

    var teamID: String { workspace.teamID }
    var botUserID: String { workspace.botUserID }

    /// A fresh id such as `C00000007`: Slack-shaped (prefix plus upper-case alphanumerics), deterministic.
    mutating func nextID(_ prefix: String) -> String {
        counter += 1
        let digits = String(counter, radix: 36).uppercased()
        return prefix + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// A fresh random-looking token part (hex), e.g. for trigger ids and tickets.
    mutating func nextSecret(_ length: Int = 24) -> String {
        counter += 1
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in "0123456789abcdef".randomElement(using: &generator) ?? "0" })
    }

    /// A message timestamp (`"1700000000.000100"`), strictly increasing within the workspace.
    mutating func nextTS(_ now: Date) -> String {
        let seconds = Int(now.timeIntervalSince1970)
        var micros = Int((now.timeIntervalSince1970 - Double(seconds)) * 1_000_000)
        var second = seconds
        if (second, micros) <= (lastTS.seconds, lastTS.micros) {
            second = lastTS.seconds
            micros = lastTS.micros + 1
            if micros >= 1_000_000 { second += 1; micros = 0 }
        }
        lastTS = (second, micros)
        let fraction = String(micros)
        return "\(second)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    // MARK: Lookup

    /// A user by id or name (`U0ALICE`, `alice`, `@alice`).
    func user(_ reference: String) -> SimulatedUser? {
        if let user = users[reference] { return user }
        let name = reference.hasPrefix("@") ? String(reference.dropFirst()) : reference
        return users.values.first { $0.name == name }
    }

    /// A conversation by id or name (`C0INCIDENTS`, `incidents`, `#incidents`).
    func conversation(_ reference: String) -> Conversation? {
        if let conversation = conversations[reference] { return conversation }
        let name = reference.hasPrefix("#") ? String(reference.dropFirst()) : reference
        return conversationOrder.lazy.compactMap { conversations[$0] }.first { $0.name == name && !$0.isIM }
    }

    /// The direct message conversation between the bot and `user`, created on first use.
    mutating func directMessage(with user: String, now: Date) -> String {
        if let existing = conversations.values.first(where: { $0.isIM && $0.imUser == user }) { return existing.id }
        let id = nextID("D")
        conversations[id] = Conversation(
            id: id, name: id, kind: .directMessage, created: Int(now.timeIntervalSince1970), creator: botUserID,
            members: [botUserID, user], imUser: user)
        conversationOrder.append(id)
        return id
    }

    func message(channel: String, ts: String) -> StoredMessage? {
        messages[channel]?.first { $0.ts == ts }
    }

    mutating func updateMessage(channel: String, ts: String, _ change: (inout StoredMessage) -> Void) -> Bool {
        guard let index = messages[channel]?.firstIndex(where: { $0.ts == ts }) else { return false }
        change(&messages[channel]![index])
        return true
    }

    @discardableResult
    mutating func append(_ message: StoredMessage) -> StoredMessage {
        messages[message.channel, default: []].append(message)
        return message
    }

    // MARK: Triggers and response URLs

    /// Hands out a trigger id for `user` (valid 3 s on the simulator's clock, single use).
    mutating func issueTrigger(for user: String, now: Date) -> String {
        let number = Int(now.timeIntervalSince1970 * 1000) % 100_000_000_000
        let id = "\(number).\(teamID.unicodeScalars.reduce(0) { $0 + Int($1.value) }).\(nextSecret(32))"
        triggers[id] = Trigger(user: user, issued: now, used: false)
        return id
    }

    /// Registers a `response_url` target and returns its id (the last path component).
    mutating func issueResponseTarget(channel: String, user: String, messageTS: String?, ephemeral: Bool, now: Date) -> String {
        let id = nextSecret(24)
        responseTargets[id] = ResponseTarget(channel: channel, user: user, messageTS: messageTS, messageIsEphemeral: ephemeral, created: now, uses: 0)
        return id
    }

    // MARK: Scopes

    func isGranted(_ scope: String) -> Bool {
        grantedScopes.map { $0.contains(scope) } ?? true
    }
}

/// The lock around ``WorkspaceState``: HTTP handlers, socket handlers and the public API share it.
final class SimulatorStore: Sendable {
    private let state: Mutex<WorkspaceState>

    init(workspace: Workspace) {
        state = Mutex(WorkspaceState(workspace: workspace))
    }

    func withState<T: Sendable>(_ body: (inout WorkspaceState) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }
}
