/// An Events API event (the inner `event` object) with its wrapper's identity.
public struct SlackEvent: Sendable, Equatable {
    public var type: String
    public var eventID: String
    public var teamID: String
    /// The inner event as sent. Never a message body: Casebook subscribes to no message events.
    public var payload: JSONValue

    public init(type: String, eventID: String, teamID: String, payload: JSONValue) {
        self.type = type
        self.eventID = eventID
        self.teamID = teamID
        self.payload = payload
    }

    public var userID: String? { payload["user"]?.string }
    public var channelID: String? { payload["channel"]?.string ?? payload["item"]?["channel"]?.string }
}
