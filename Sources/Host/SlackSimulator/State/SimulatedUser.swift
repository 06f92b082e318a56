import CasebookKit

/// A person or bot in the simulated workspace, with the flags that classify them
/// (reference/slack.md §5.3): guests are `is_restricted`, Slack Connect users carry another
/// `team_id` and `is_stranger`, bots carry `is_bot` and a `bot_id`.
public struct SimulatedUser: Sendable, Equatable {
    public var id: String
    public var teamID: String
    public var name: String
    public var realName: String
    public var email: String?
    public var isBot: Bool
    public var botID: String?
    public var appID: String?
    public var isAdmin: Bool
    public var isRestricted: Bool
    public var isUltraRestricted: Bool
    public var isStranger: Bool
    public var deleted: Bool
    public var timeZone: String

    public init(
        id: String, teamID: String, name: String, realName: String = "", email: String? = nil,
        isBot: Bool = false, botID: String? = nil, appID: String? = nil, isAdmin: Bool = false,
        isRestricted: Bool = false, isUltraRestricted: Bool = false, isStranger: Bool = false,
        deleted: Bool = false, timeZone: String = "Europe/Berlin"
    ) {
        self.id = id
        self.teamID = teamID
        self.name = name
        self.realName = realName.isEmpty ? name.capitalized : realName
        self.email = email
        self.isBot = isBot
        self.botID = botID
        self.appID = appID
        self.isAdmin = isAdmin
        self.isRestricted = isRestricted
        self.isUltraRestricted = isUltraRestricted
        self.isStranger = isStranger
        self.deleted = deleted
        self.timeZone = timeZone
    }

    /// The `user` object of `users.info` / `users.list`. `profile.email` only with `users:read.email`.
    func json(includeEmail: Bool) -> JSONValue {
        var profile: [String: JSONValue] = [
            "real_name": .string(realName), "real_name_normalized": .string(realName),
            "display_name": .string(name), "display_name_normalized": .string(name),
            "team": .string(teamID),
        ]
        if includeEmail, let email { profile["email"] = .string(email) }
        if let botID { profile["bot_id"] = .string(botID) }
        var object: [String: JSONValue] = [
            "id": .string(id), "team_id": .string(teamID), "name": .string(name), "real_name": .string(realName),
            "deleted": .bool(deleted), "tz": .string(timeZone), "is_bot": .bool(isBot),
            "is_app_user": false, "is_workflow_bot": false,
            "is_admin": .bool(isAdmin), "is_owner": false, "is_primary_owner": false,
            "is_restricted": .bool(isRestricted), "is_ultra_restricted": .bool(isUltraRestricted),
            "is_invited_user": false, "updated": 1_700_000_000, "profile": .object(profile),
        ]
        if isStranger { object["is_stranger"] = true }
        return .object(object)
    }
}

/// A user group (`@responders`), listed by `usergroups.users.list`.
public struct UserGroup: Sendable, Equatable {
    public var id: String
    public var handle: String
    public var name: String
    public var users: [String]

    public init(id: String, handle: String, name: String, users: [String]) {
        self.id = id
        self.handle = handle
        self.name = name
        self.users = users
    }
}
