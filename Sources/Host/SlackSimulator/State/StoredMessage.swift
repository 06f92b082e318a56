public import CasebookKit

/// A message in a conversation: posted by the bot through the Web API, or by a simulated person
/// (``SlackSimulator/postAsUser(_:channel:text:threadTS:)``).
public struct StoredMessage: Sendable, Equatable {
    public struct Edit: Sendable, Equatable {
        public var user: String
        public var ts: String
    }

    public var channel: String
    public var ts: String
    /// The author's user id (for the bot: its bot user id).
    public var user: String
    /// Set when a bot posted the message.
    public var botID: String?
    public var appID: String?
    public var text: String
    public var blocks: [JSONValue]
    public var threadTS: String?
    public var edited: Edit?
    /// Reactions in the order they were first added: name → users.
    public var reactions: [(name: String, users: [String])]
    public var files: [String]

    public init(
        channel: String, ts: String, user: String, botID: String? = nil, appID: String? = nil, text: String,
        blocks: [JSONValue] = [], threadTS: String? = nil
    ) {
        self.channel = channel
        self.ts = ts
        self.user = user
        self.botID = botID
        self.appID = appID
        self.text = text
        self.blocks = blocks
        self.threadTS = threadTS
        self.edited = nil
        self.reactions = []
        self.files = []
    }

    public static func == (lhs: StoredMessage, rhs: StoredMessage) -> Bool {
        lhs.channel == rhs.channel && lhs.ts == rhs.ts && lhs.user == rhs.user && lhs.botID == rhs.botID
            && lhs.text == rhs.text && lhs.blocks == rhs.blocks && lhs.threadTS == rhs.threadTS && lhs.edited == rhs.edited
            && lhs.reactions.map(\.name) == rhs.reactions.map(\.name) && lhs.reactions.map(\.users) == rhs.reactions.map(\.users)
            && lhs.files == rhs.files
    }

    /// The message object Slack returns (`chat.postMessage`'s `message`) and embeds in payloads.
    func json(team: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "type": "message", "user": .string(user), "text": .string(text), "ts": .string(ts), "team": .string(team),
        ]
        if !blocks.isEmpty { object["blocks"] = .array(blocks) }
        if let botID { object["bot_id"] = .string(botID) }
        if let appID { object["app_id"] = .string(appID) }
        if let threadTS { object["thread_ts"] = .string(threadTS) }
        if let edited { object["edited"] = ["user": .string(edited.user), "ts": .string(edited.ts)] }
        if !reactions.isEmpty {
            object["reactions"] = .array(reactions.map {
                ["name": .string($0.name), "count": .number(Double($0.users.count)), "users": .array($0.users.map(JSONValue.string))]
            })
        }
        if !files.isEmpty { object["files"] = .array(files.map { ["id": .string($0)] }) }
        return .object(object)
    }
}

/// A message only one user sees (`chat.postEphemeral`, an ephemeral reply or `response_url` post).
public struct EphemeralMessage: Sendable, Equatable {
    public var channel: String
    /// The user who sees it.
    public var user: String
    public var ts: String
    public var text: String
    public var blocks: [JSONValue]
    public var threadTS: String?

    public init(channel: String, user: String, ts: String, text: String, blocks: [JSONValue] = [], threadTS: String? = nil) {
        self.channel = channel
        self.user = user
        self.ts = ts
        self.text = text
        self.blocks = blocks
        self.threadTS = threadTS
    }
}
