import CasebookKit
import Foundation

/// The external upload flow: `files.getUploadURLExternal` hands out an upload URL on the simulator,
/// the client POSTs the bytes there, `files.completeUploadExternal` shares the file.
enum FilesAPI {
    static let handlers: [String: MethodHandler] = [
        "files.getUploadURLExternal": uploadURL, "files.completeUploadExternal": complete,
    ]

    static func uploadURL(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let filename = call.string("filename") ?? ""
        if filename.isEmpty { throw APIError("invalid_arguments") }
        guard let length = call.int("length"), length > 0 else { throw APIError("invalid_arguments") }
        if length > 1_000_000_000 { throw APIError("file_size_exceeded") }
        let id = state.nextID("F")
        state.files[id] = StoredFile(id: id, name: filename, length: length, user: state.botUserID, created: Int(call.now.timeIntervalSince1970))
        return ["upload_url": .string("\(call.baseURL)/upload/\(id)"), "file_id": .string(id)]
    }

    static func complete(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard let files = try call.json("files", invalid: "invalid_arguments")?.array, !files.isEmpty else {
            throw APIError("invalid_arguments")
        }
        var destinations = call.list("channels")
        if let channel = call.string("channel_id"), !channel.isEmpty { destinations.append(channel) }
        var conversations: [Conversation] = []
        for destination in destinations {
            let conversation = try ChatAPI.destination(&state, destination, now: call.now)
            try ChatAPI.requireCanPost(state, conversation)
            conversations.append(conversation)
        }
        var ids: [String] = []
        var answer: [JSONValue] = []
        for file in files {
            guard let id = file["id"]?.string, let stored = state.files[id] else { throw APIError("file_not_found") }
            if stored.data == nil { throw APIError("file_not_found", ["detail": "nothing was uploaded to the upload URL"]) }
            if stored.completed { throw APIError("file_already_completed") }
            state.files[id]?.completed = true
            if let title = file["title"]?.string { state.files[id]?.title = title }
            state.files[id]?.channels = conversations.map(\.id)
            ids.append(id)
            answer.append(["id": .string(id), "title": .string(state.files[id]?.title ?? "")])
        }
        let comment = call.string("initial_comment") ?? ""
        let thread = call.string("thread_ts")
        for conversation in conversations {
            var message = StoredMessage(
                channel: conversation.id, ts: state.nextTS(call.now), user: state.botUserID, botID: state.workspace.botID,
                appID: state.workspace.appID, text: comment, threadTS: thread)
            message.files = ids
            state.append(message)
        }
        return ["files": .array(answer)]
    }
}
