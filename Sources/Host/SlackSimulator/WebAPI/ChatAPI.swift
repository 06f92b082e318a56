import CasebookKit
import Foundation

/// `chat.*`: messages the bot posts, edits and deletes.
enum ChatAPI {
    static let handlers: [String: MethodHandler] = [
        "chat.postMessage": postMessage, "chat.postEphemeral": postEphemeral, "chat.update": update,
        "chat.delete": delete, "chat.getPermalink": permalink,
    ]

    /// Where a message goes: a conversation id, a channel name, or a user id (their DM with the bot).
    static func destination(_ state: inout WorkspaceState, _ reference: String?, now: Date) throws -> Conversation {
        guard let reference, !reference.isEmpty else { throw APIError("channel_not_found") }
        if state.users[reference] != nil {
            let id = state.directMessage(with: reference, now: now)
            return try state.visibleConversation(id)
        }
        if state.conversations[reference] != nil { return try state.visibleConversation(reference) }
        if let named = state.conversation(reference) { return try state.visibleConversation(named.id) }
        throw APIError("channel_not_found")
    }

    /// Posting needs membership, except in public channels with `chat:write.public`.
    static func requireCanPost(_ state: WorkspaceState, _ conversation: Conversation) throws {
        try state.requireNotArchived(conversation)
        if conversation.members.contains(state.botUserID) { return }
        if conversation.kind == .publicChannel && state.isGranted("chat:write.public") { return }
        throw APIError("not_in_channel")
    }

    static func content(_ call: APICall) throws -> (text: String, blocks: [JSONValue]) {
        let blocks = try BlockValidation.blocks(call) ?? []
        let text = call.string("text") ?? ""
        if text.isEmpty && blocks.isEmpty { throw APIError("no_text") }
        if text.count > 40_000 { throw APIError("msg_too_long") }
        return (text, blocks)
    }

    static func postMessage(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try destination(&state, call.string("channel"), now: call.now)
        try requireCanPost(state, conversation)
        let (text, posted) = try content(call)
        let blocks = BlockValidation.assignBlockIDs(posted, state: &state)
        let threadTS = call.string("thread_ts").flatMap { $0.isEmpty ? nil : $0 }
        let message = state.append(StoredMessage(
            channel: conversation.id, ts: state.nextTS(call.now), user: state.botUserID, botID: state.workspace.botID,
            appID: state.workspace.appID, text: text, blocks: blocks, threadTS: threadTS))
        return ["channel": .string(conversation.id), "ts": .string(message.ts), "message": message.json(team: state.teamID)]
    }

    static func postEphemeral(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try destination(&state, call.string("channel"), now: call.now)
        try requireCanPost(state, conversation)
        guard let user = call.string("user"), state.users[user] != nil else { throw APIError("user_not_found") }
        if !conversation.members.contains(user) { throw APIError("user_not_in_channel") }
        let (text, posted) = try content(call)
        let blocks = BlockValidation.assignBlockIDs(posted, state: &state)
        let ts = state.nextTS(call.now)
        state.ephemerals.append(EphemeralMessage(channel: conversation.id, user: user, ts: ts, text: text, blocks: blocks, threadTS: call.string("thread_ts")))
        return ["message_ts": .string(ts)]
    }

    static func update(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        let ts = call.string("ts") ?? ""
        guard let existing = state.message(channel: conversation.id, ts: ts) else { throw APIError("message_not_found") }
        if existing.user != state.botUserID { throw APIError("cant_update_message") }
        try state.requireNotArchived(conversation)
        let blocks = try BlockValidation.blocks(call).map { BlockValidation.assignBlockIDs($0, state: &state) }
        let text = call.string("text")
        if text == nil && blocks == nil { throw APIError("no_text") }
        let bot = state.botUserID
        let editTS = state.nextTS(call.now)
        _ = state.updateMessage(channel: conversation.id, ts: ts) { message in
            if let text { message.text = text }
            if let blocks { message.blocks = blocks }
            message.edited = .init(user: bot, ts: editTS)
        }
        let updated = state.message(channel: conversation.id, ts: ts)
        return [
            "channel": .string(conversation.id), "ts": .string(ts), "text": .string(updated?.text ?? ""),
            "message": updated?.json(team: state.teamID) ?? .null,
        ]
    }

    static func delete(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        let ts = call.string("ts") ?? ""
        guard let existing = state.message(channel: conversation.id, ts: ts) else { throw APIError("message_not_found") }
        if existing.user != state.botUserID { throw APIError("cant_delete_message") }
        state.messages[conversation.id]?.removeAll { $0.ts == ts }
        state.conversations[conversation.id]?.pins.removeAll { $0 == ts }
        return ["channel": .string(conversation.id), "ts": .string(ts)]
    }

    static func permalink(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        let ts = call.string("message_ts") ?? ""
        guard let message = state.message(channel: conversation.id, ts: ts) else { throw APIError("message_not_found") }
        return ["channel": .string(conversation.id), "permalink": .string(permalinkURL(state, message))]
    }

    static func permalinkURL(_ state: WorkspaceState, _ message: StoredMessage) -> String {
        var link = "https://\(state.workspace.teamDomain).slack.com/archives/\(message.channel)/p" + message.ts.replacingOccurrences(of: ".", with: "")
        if let thread = message.threadTS, thread != message.ts { link += "?thread_ts=\(thread)&cid=\(message.channel)" }
        return link
    }
}
