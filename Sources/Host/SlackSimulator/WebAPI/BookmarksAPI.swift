import CasebookKit

/// `bookmarks.add`: link bookmarks in a channel's header.
enum BookmarksAPI {
    static let handlers: [String: MethodHandler] = ["bookmarks.add": add]

    static func add(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel_id"))
        try state.requireNotArchived(conversation)
        if conversation.kind == .publicChannel && !conversation.members.contains(state.botUserID) { throw APIError("not_in_channel") }
        let title = call.string("title") ?? ""
        if title.isEmpty || title.count > 256 { throw APIError("invalid_title") }
        let type = call.string("type") ?? ""
        guard type == "link" else { throw APIError("invalid_bookmark_type") }
        let link = call.string("link") ?? ""
        guard link.count <= 2048, link.hasPrefix("http://") || link.hasPrefix("https://") else { throw APIError("invalid_link") }
        if conversation.bookmarks.count >= 100 { throw APIError("too_many_bookmarks") }
        let bookmark = Bookmark(
            id: state.nextID("Bk"), channelID: conversation.id, title: title, link: link, type: type,
            emoji: call.string("emoji"), created: Int(call.now.timeIntervalSince1970))
        state.conversations[conversation.id]?.bookmarks.append(bookmark)
        return ["bookmark": bookmark.json]
    }
}
