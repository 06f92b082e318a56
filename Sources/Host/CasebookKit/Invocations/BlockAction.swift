/// A click on a button or a choice in a select, from a message or a modal.
public struct BlockAction: Sendable, Equatable {
    public var actionID: String
    public var blockID: String?
    /// A button's `value`, or the value of the selected option of a static select.
    public var value: String?
    /// The user picked in a users select.
    public var selectedUser: String?
    /// The values of every ticked option of a checkbox group (`selected_options`), after the click.
    public var selectedValues: [String]
    public var userID: String
    public var teamID: String
    public var triggerID: String?
    public var responseURL: String?
    /// Channel and timestamp of the message holding the element, when it is in a message.
    public var channelID: String?
    public var messageTS: String?
    /// The modal holding the element, when it is in a modal.
    public var viewID: String?
    public var privateMetadata: String?

    public init(
        actionID: String, blockID: String? = nil, value: String? = nil, selectedUser: String? = nil,
        userID: String, teamID: String, triggerID: String? = nil, responseURL: String? = nil,
        channelID: String? = nil, messageTS: String? = nil, viewID: String? = nil, privateMetadata: String? = nil,
        selectedValues: [String] = []
    ) {
        self.actionID = actionID
        self.blockID = blockID
        self.value = value
        self.selectedUser = selectedUser
        self.userID = userID
        self.teamID = teamID
        self.triggerID = triggerID
        self.responseURL = responseURL
        self.channelID = channelID
        self.messageTS = messageTS
        self.viewID = viewID
        self.privateMetadata = privateMetadata
        self.selectedValues = selectedValues
    }
}
