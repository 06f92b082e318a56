/// The Slack Web API as a plugin sees it. The runtime's client behind it handles tokens, retries,
/// rate tiers and the plugin's declared scopes; typed calls live in extensions of this protocol.
public protocol SlackAPI: Sendable {
    /// Calls a Web API method. Returns the response object of an `ok: true` answer; throws
    /// ``SlackAPIError`` for `ok: false` (after the client's own retries).
    func call(_ method: String, _ arguments: [String: JSONValue]) async throws -> JSONValue
}

/// Slack answered `ok: false`, or could not be reached.
public struct SlackAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var method: String
    /// Slack's error code (`channel_not_found`, `ratelimited`, …), or a transport error code
    /// (`http_503`, `connection_failed`, `timeout`, `scope_not_declared`).
    public var code: String
    /// On `missing_scope`: the scope that was needed.
    public var needed: String?
    /// Slack's `response_metadata.messages`, when present.
    public var messages: [String]

    public init(method: String, code: String, needed: String? = nil, messages: [String] = []) {
        self.method = method
        self.code = code
        self.needed = needed
        self.messages = messages
    }

    public var description: String {
        var text = "\(method): \(code)"
        if let needed { text += " (needs \(needed))" }
        if !messages.isEmpty { text += " — " + messages.joined(separator: "; ") }
        return text
    }
}

/// A message Slack stored: where it is and its timestamp id.
public struct MessageRef: Sendable, Equatable, Codable, Hashable {
    public var channel: String
    public var ts: String
    public init(channel: String, ts: String) {
        self.channel = channel
        self.ts = ts
    }
}

/// A conversation (channel) as Slack describes it.
public struct Channel: Sendable, Equatable {
    public var id: String
    public var name: String
    public var isPrivate: Bool
    public var isArchived: Bool
    public var topic: String
    public var purpose: String

    public init(id: String, name: String, isPrivate: Bool = false, isArchived: Bool = false, topic: String = "", purpose: String = "") {
        self.id = id
        self.name = name
        self.isPrivate = isPrivate
        self.isArchived = isArchived
        self.topic = topic
        self.purpose = purpose
    }

    init(json: JSONValue) {
        self.init(
            id: json["id"]?.string ?? "", name: json["name"]?.string ?? "",
            isPrivate: json["is_private"]?.bool ?? false, isArchived: json["is_archived"]?.bool ?? false,
            topic: json["topic"]?["value"]?.string ?? "", purpose: json["purpose"]?["value"]?.string ?? "")
    }
}

/// A workspace member, classified the way an incident tool needs (reference/slack.md §5.3).
public struct SlackUser: Sendable, Equatable {
    public var id: String
    public var teamID: String
    public var name: String
    public var realName: String
    public var isBot: Bool
    /// A multi- or single-channel guest.
    public var isGuest: Bool
    /// `is_stranger`: a Slack Connect user from another organisation.
    public var isStranger: Bool
    public var deleted: Bool
    /// `profile.email`: only present with the `users:read.email` scope.
    public var email: String?
    /// A workspace admin or owner (`is_admin`, `is_owner`).
    public var isAdmin: Bool

    public init(
        id: String, teamID: String, name: String, realName: String = "", isBot: Bool = false,
        isGuest: Bool = false, isStranger: Bool = false, deleted: Bool = false, email: String? = nil, isAdmin: Bool = false
    ) {
        self.email = email
        self.isAdmin = isAdmin
        self.id = id
        self.teamID = teamID
        self.name = name
        self.realName = realName
        self.isBot = isBot
        self.isGuest = isGuest
        self.isStranger = isStranger
        self.deleted = deleted
    }

    /// Reads Slack's user object, as `users.info` answers it and events such as `user_change` carry it.
    public init(json: JSONValue) {
        self.init(
            id: json["id"]?.string ?? "", teamID: json["team_id"]?.string ?? "", name: json["name"]?.string ?? "",
            realName: json["real_name"]?.string ?? json["profile"]?["real_name"]?.string ?? "",
            isBot: (json["is_bot"]?.bool ?? false) || (json["is_app_user"]?.bool ?? false) || (json["is_workflow_bot"]?.bool ?? false),
            isGuest: (json["is_restricted"]?.bool ?? false) || (json["is_ultra_restricted"]?.bool ?? false),
            isStranger: json["is_stranger"]?.bool ?? false, deleted: json["deleted"]?.bool ?? false,
            email: json["profile"]?["email"]?.string,
            isAdmin: (json["is_admin"]?.bool ?? false) || (json["is_owner"]?.bool ?? false) || (json["is_primary_owner"]?.bool ?? false))
    }

    /// Whether this user belongs to another organisation than the installation's team.
    public func isExternal(to installationTeam: String) -> Bool {
        isStranger || (!teamID.isEmpty && teamID != installationTeam)
    }

    /// A real person of this workspace: not a bot, not deleted, not external.
    public func isMember(of installationTeam: String) -> Bool {
        !isBot && !deleted && !isExternal(to: installationTeam)
    }
}
