/// A message or global shortcut. For message shortcuts the host keeps only where the message is
/// (`channel`, `ts`) and drops its text and blocks on arrival: Casebook never reads messages.
public struct Shortcut: Sendable, Equatable {
    public var callbackID: String
    public var userID: String
    public var teamID: String
    public var triggerID: String?
    /// The channel of the message (message shortcuts only).
    public var channelID: String?
    /// The timestamp of the message (message shortcuts only).
    public var messageTS: String?
    public var responseURL: String?

    public init(
        callbackID: String, userID: String, teamID: String, triggerID: String? = nil,
        channelID: String? = nil, messageTS: String? = nil, responseURL: String? = nil
    ) {
        self.callbackID = callbackID
        self.userID = userID
        self.teamID = teamID
        self.triggerID = triggerID
        self.channelID = channelID
        self.messageTS = messageTS
        self.responseURL = responseURL
    }
}
