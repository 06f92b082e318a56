import CasebookKit

/// `pins.add`: pin a message in a conversation the bot is in.
enum PinsAPI {
    static let handlers: [String: MethodHandler] = ["pins.add": add]

    static func add(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        guard let ts = call.string("timestamp") else { throw APIError("no_item_specified") }
        if Double(ts) == nil { throw APIError("bad_timestamp") }
        try state.requireBotMember(conversation)
        try state.requireNotArchived(conversation)
        guard state.message(channel: conversation.id, ts: ts) != nil else { throw APIError("message_not_found") }
        if conversation.pins.contains(ts) { throw APIError("already_pinned") }
        if conversation.pins.count >= 100 { throw APIError("too_many_pins") }
        state.conversations[conversation.id]?.pins.append(ts)
        return [:]
    }
}
