/// The starting state of a simulated workspace: team, app credentials, people, channels and groups.
///
/// ``seeded()`` is the standard cast used by tests and the playground:
/// - team `T0CASEBOOK` (domain `casebook-sim`), the app `A0CASEBOOK` with bot user `U0CASEBOT` / bot `B0CASEBOT`
/// - alice `U0ALICE` (admin), bob `U0BOB`, carol `U0CAROL`: ordinary members
/// - dave `U0DAVE`: a multi-channel guest (`is_restricted`)
/// - erin `U0ERIN`: a Slack Connect user of team `T0PARTNER` (`is_stranger`)
/// - a second bot, `U0OTHERBOT` (`B0OTHERBOT`), e.g. an alerting integration
/// - `#general` (`C0GENERAL`, `is_general`; every person is a member, the bot is **not**),
///   `#incidents` (`C0INCIDENTS`) and `#alerts` (`C0ALERTS`), both with the bot as a member
/// - user group `S0RESPONDERS` (`@responders`: alice, bob)
public struct Workspace: Sendable, Equatable {
    public var teamID: String
    public var teamDomain: String
    public var teamName: String
    public var appID: String
    public var botUserID: String
    public var botID: String
    public var botName: String
    public var botToken: String
    public var appToken: String
    public var signingSecret: String
    /// Bot scopes granted at installation; `nil` grants everything.
    public var grantedScopes: Set<String>?
    public var users: [SimulatedUser]
    public var conversations: [Conversation]
    public var userGroups: [UserGroup]

    public init(
        teamID: String, teamDomain: String, teamName: String, appID: String, botUserID: String, botID: String,
        botName: String, botToken: String, appToken: String, signingSecret: String, grantedScopes: Set<String>? = nil,
        users: [SimulatedUser], conversations: [Conversation], userGroups: [UserGroup]
    ) {
        self.teamID = teamID
        self.teamDomain = teamDomain
        self.teamName = teamName
        self.appID = appID
        self.botUserID = botUserID
        self.botID = botID
        self.botName = botName
        self.botToken = botToken
        self.appToken = appToken
        self.signingSecret = signingSecret
        self.grantedScopes = grantedScopes
        self.users = users
        self.conversations = conversations
        self.userGroups = userGroups
    }

    public static let defaultBotToken = "xoxb-sim-0000000001-casebook"
    public static let defaultAppToken = "xapp-sim-1-A0CASEBOOK-casebook"
    public static let defaultSigningSecret = "sim-signing-secret-8f742231b10e"

    /// The standard workspace (see the type's documentation).
    public static func seeded(
        botToken: String = defaultBotToken, appToken: String = defaultAppToken,
        signingSecret: String = defaultSigningSecret, grantedScopes: Set<String>? = nil
    ) -> Workspace {
        let team = "T0CASEBOOK"
        let users = [
            SimulatedUser(id: "U0CASEBOT", teamID: team, name: "casebook", realName: "Casebook", isBot: true, botID: "B0CASEBOT", appID: "A0CASEBOOK"),
            SimulatedUser(id: "U0ALICE", teamID: team, name: "alice", realName: "Alice Archer", email: "alice@casebook.test", isAdmin: true),
            SimulatedUser(id: "U0BOB", teamID: team, name: "bob", realName: "Bob Baker", email: "bob@casebook.test"),
            SimulatedUser(id: "U0CAROL", teamID: team, name: "carol", realName: "Carol Chen", email: "carol@casebook.test"),
            SimulatedUser(id: "U0DAVE", teamID: team, name: "dave", realName: "Dave Dunn", email: "dave@contractor.test", isRestricted: true),
            SimulatedUser(id: "U0ERIN", teamID: "T0PARTNER", name: "erin", realName: "Erin Evans", isStranger: true),
            SimulatedUser(id: "U0OTHERBOT", teamID: team, name: "alertbot", realName: "Alert Bot", isBot: true, botID: "B0OTHERBOT", appID: "A0OTHERAPP"),
        ]
        let people = ["U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"]
        let conversations = [
            Conversation(
                id: "C0GENERAL", name: "general", isGeneral: true, creator: "U0ALICE", members: people,
                topic: .init(value: "Company-wide announcements", creator: "U0ALICE", lastSet: 1_700_000_000),
                purpose: .init(value: "This is the one channel that will always include everyone.", creator: "U0ALICE", lastSet: 1_700_000_000)),
            Conversation(
                id: "C0INCIDENTS", name: "incidents", creator: "U0ALICE", members: ["U0ALICE", "U0BOB", "U0CAROL", "U0CASEBOT"],
                purpose: .init(value: "Declare and follow incidents", creator: "U0ALICE", lastSet: 1_700_000_000)),
            Conversation(id: "C0ALERTS", name: "alerts", creator: "U0ALICE", members: ["U0ALICE", "U0OTHERBOT", "U0CASEBOT"]),
        ]
        return Workspace(
            teamID: team, teamDomain: "casebook-sim", teamName: "Casebook Simulation", appID: "A0CASEBOOK",
            botUserID: "U0CASEBOT", botID: "B0CASEBOT", botName: "casebook", botToken: botToken, appToken: appToken,
            signingSecret: signingSecret, grantedScopes: grantedScopes, users: users, conversations: conversations,
            userGroups: [UserGroup(id: "S0RESPONDERS", handle: "responders", name: "Responders", users: ["U0ALICE", "U0BOB"])])
    }
}
