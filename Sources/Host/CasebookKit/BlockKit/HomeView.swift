/// The app's Home tab for one user (`views.publish`, view type `home`): blocks only, no title or
/// buttons of its own; Slack shows the latest published view each time the user opens the tab.
public struct HomeView: Sendable, Equatable {
    public var callbackID: String
    public var blocks: [Block]
    public var privateMetadata: String

    public init(callbackID: String, privateMetadata: String = "", @BlockBuilder blocks: () -> [Block]) {
        self.callbackID = callbackID
        self.blocks = blocks()
        self.privateMetadata = privateMetadata
    }

    /// Slack's limits for the Home tab: up to 100 blocks (as a modal), the same elements.
    public func validate() throws {
        try BlockKitLimits.validate(blocks: blocks, surface: .modal)
        try BlockKitLimits.check(privateMetadata, max: BlockKitLimits.privateMetadata, path: "view.private_metadata")
        try BlockKitLimits.check(callbackID, max: BlockKitLimits.identifier, path: "view.callback_id")
    }

    public var json: JSONValue {
        [
            "type": "home", "callback_id": .string(callbackID), "blocks": .array(blocks.map(\.json)),
            "private_metadata": .string(privateMetadata),
        ]
    }
}
