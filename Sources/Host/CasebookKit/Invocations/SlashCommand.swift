/// `/case <subcommand> <arguments>` as a plugin sees it: the host has already split off the
/// subcommand and checked the workspace, the user and the rate limit.
public struct SlashCommand: Sendable, Equatable {
    /// The slash command itself, e.g. `/case`.
    public var command: String
    /// The routed subcommand, lowercased (`open`).
    public var subcommand: String
    /// Everything after the subcommand, trimmed. Raw user text: treat as untrusted.
    public var arguments: String
    public var userID: String
    public var teamID: String
    public var channelID: String
    public var channelName: String
    public var triggerID: String?
    public var responseURL: String?

    public init(
        command: String, subcommand: String, arguments: String, userID: String, teamID: String,
        channelID: String, channelName: String = "", triggerID: String? = nil, responseURL: String? = nil
    ) {
        self.command = command
        self.subcommand = subcommand
        self.arguments = arguments
        self.userID = userID
        self.teamID = teamID
        self.channelID = channelID
        self.channelName = channelName
        self.triggerID = triggerID
        self.responseURL = responseURL
    }

    /// The arguments split on white space.
    public var words: [String] { arguments.split(whereSeparator: \.isWhitespace).map(String.init) }
}

/// A user mention such as `<@U123|bob>` or `<@U123>` parsed to its user id.
public func parseUserMention(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("<@"), trimmed.hasSuffix(">") else { return nil }
    let inner = trimmed.dropFirst(2).dropLast()
    let id = inner.split(separator: "|", maxSplits: 1).first.map(String.init) ?? ""
    guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
    return id
}
