import CasebookKit
import Foundation

/// `reactions.add` / `reactions.get` on messages.
enum ReactionsAPI {
    static let handlers: [String: MethodHandler] = ["reactions.add": add, "reactions.get": get]

    static func add(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        try state.requireNotArchived(conversation)
        let ts = call.string("timestamp") ?? ""
        let name = (call.string("name") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        if name.isEmpty || name.contains(" ") { throw APIError("invalid_name") }
        guard let message = state.message(channel: conversation.id, ts: ts) else { throw APIError("message_not_found") }
        if message.reactions.contains(where: { $0.name == name && $0.users.contains(state.botUserID) }) { throw APIError("already_reacted") }
        if message.reactions.count >= 23 && !message.reactions.contains(where: { $0.name == name }) { throw APIError("too_many_reactions") }
        state.addReaction(name, by: state.botUserID, channel: conversation.id, ts: ts)
        return [:]
    }

    static func get(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard call.has("channel") || call.has("timestamp") else { throw APIError("no_item_specified") }
        let conversation = try state.visibleConversation(call.string("channel"))
        let ts = call.string("timestamp") ?? ""
        if Double(ts) == nil { throw APIError("bad_timestamp") }
        guard let message = state.message(channel: conversation.id, ts: ts) else { throw APIError("message_not_found") }
        return ["type": "message", "channel": .string(conversation.id), "message": message.json(team: state.teamID)]
    }
}

extension WorkspaceState {
    mutating func addReaction(_ name: String, by user: String, channel: String, ts: String) {
        _ = updateMessage(channel: channel, ts: ts) { message in
            if let index = message.reactions.firstIndex(where: { $0.name == name }) {
                if !message.reactions[index].users.contains(user) { message.reactions[index].users.append(user) }
            } else {
                message.reactions.append((name: name, users: [user]))
            }
        }
    }
}
