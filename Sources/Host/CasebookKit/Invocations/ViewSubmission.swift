/// A submitted (or closed) modal with the values of its inputs.
public struct ViewSubmission: Sendable, Equatable {
    public var callbackID: String
    public var viewID: String
    public var userID: String
    public var teamID: String
    public var triggerID: String?
    public var privateMetadata: String
    /// `state.values`: block id → action id → value.
    public var values: [String: [String: ViewValue]]

    public init(
        callbackID: String, viewID: String, userID: String, teamID: String, triggerID: String? = nil,
        privateMetadata: String = "", values: [String: [String: ViewValue]] = [:]
    ) {
        self.callbackID = callbackID
        self.viewID = viewID
        self.userID = userID
        self.teamID = teamID
        self.triggerID = triggerID
        self.privateMetadata = privateMetadata
        self.values = values
    }

    /// The value of the input in `blockID` (inputs built with ``Block/input(_:element:blockID:optional:hint:)``
    /// have one element per block, so the action id is not needed).
    public func value(_ blockID: String) -> ViewValue? {
        values[blockID]?.values.first
    }
}

/// The state of one input element.
public struct ViewValue: Sendable, Equatable {
    public var type: String
    /// Text input value, or the selected option's value.
    public var value: String?
    public var selectedUser: String?
    public var selectedUsers: [String]
    public var selectedConversation: String?
    /// The values of the ticked options of a checkbox group (or a multi-select).
    public var selectedOptions: [String]

    public init(
        type: String, value: String? = nil, selectedUser: String? = nil, selectedUsers: [String] = [], selectedConversation: String? = nil,
        selectedOptions: [String] = []
    ) {
        self.type = type
        self.selectedOptions = selectedOptions
        self.value = value
        self.selectedUser = selectedUser
        self.selectedUsers = selectedUsers
        self.selectedConversation = selectedConversation
    }
}
