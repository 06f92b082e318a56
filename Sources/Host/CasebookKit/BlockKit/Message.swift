/// A message: notification text (always sent, as Slack recommends) plus optional blocks.
public struct Message: Sendable, Equatable {
    public var text: String
    public var blocks: [Block]

    public init(_ text: String, blocks: [Block] = []) {
        self.text = text
        self.blocks = blocks
    }

    public init(_ text: String, @BlockBuilder blocks: () -> [Block]) {
        self.text = text
        self.blocks = blocks()
    }

    /// Checks Slack's limits for a message surface.
    public func validate() throws {
        try BlockKitLimits.validate(blocks: blocks, surface: .message)
        // Counting characters walks grapheme clusters; there are never more of them than UTF-8 bytes.
        if text.utf8.count > BlockKitLimits.messageText, text.count > BlockKitLimits.messageText {
            throw BlockKitError(path: "text", problem: "is \(text.count) characters; Slack truncates above \(BlockKitLimits.messageText)")
        }
    }

    /// The `text`/`blocks` body of a message call.
    public var json: [String: JSONValue] {
        var object: [String: JSONValue] = ["text": .string(text)]
        if !blocks.isEmpty { object["blocks"] = .array(blocks.map(\.json)) }
        return object
    }
}

/// A modal view.
public struct View: Sendable, Equatable {
    public var title: String
    public var callbackID: String
    public var blocks: [Block]
    public var submit: String?
    public var close: String?
    public var privateMetadata: String
    public var notifyOnClose: Bool

    public init(
        title: String, callbackID: String, submit: String? = nil, close: String? = "Cancel",
        privateMetadata: String = "", notifyOnClose: Bool = false, @BlockBuilder blocks: () -> [Block]
    ) {
        self.title = title
        self.callbackID = callbackID
        self.blocks = blocks()
        self.submit = submit
        self.close = close
        self.privateMetadata = privateMetadata
        self.notifyOnClose = notifyOnClose
    }

    public func validate() throws {
        try BlockKitLimits.validate(blocks: blocks, surface: .modal)
        try BlockKitLimits.check(title, max: BlockKitLimits.viewTitle, path: "view.title", allowEmpty: false)
        if let submit { try BlockKitLimits.check(submit, max: BlockKitLimits.viewTitle, path: "view.submit") }
        if let close { try BlockKitLimits.check(close, max: BlockKitLimits.viewTitle, path: "view.close") }
        try BlockKitLimits.check(privateMetadata, max: BlockKitLimits.privateMetadata, path: "view.private_metadata")
        try BlockKitLimits.check(callbackID, max: BlockKitLimits.identifier, path: "view.callback_id")
        let hasInput = blocks.contains { if case .input = $0 { return true } else { return false } }
        if hasInput && submit == nil {
            throw BlockKitError(path: "view.submit", problem: "is required when the view has an input block")
        }
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "type": "modal", "title": Text.plain(title).json, "callback_id": .string(callbackID),
            "blocks": .array(blocks.map(\.json)), "private_metadata": .string(privateMetadata),
            "notify_on_close": .bool(notifyOnClose),
        ]
        if let submit { object["submit"] = Text.plain(submit).json }
        if let close { object["close"] = Text.plain(close).json }
        return .object(object)
    }
}

/// Builds `[Block]` from a list of blocks, optionals, conditionals and loops.
@resultBuilder
public enum BlockBuilder {
    public static func buildExpression(_ block: Block) -> [Block] { [block] }
    public static func buildExpression(_ blocks: [Block]) -> [Block] { blocks }
    public static func buildExpression(_ block: Block?) -> [Block] { block.map { [$0] } ?? [] }
    public static func buildBlock(_ parts: [Block]...) -> [Block] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Block]?) -> [Block] { part ?? [] }
    public static func buildEither(first part: [Block]) -> [Block] { part }
    public static func buildEither(second part: [Block]) -> [Block] { part }
    public static func buildArray(_ parts: [[Block]]) -> [Block] { parts.flatMap { $0 } }
}
