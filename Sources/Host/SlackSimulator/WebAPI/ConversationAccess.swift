import CasebookKit
import Foundation

/// The checks every conversation method shares, in the order Slack applies them.
extension WorkspaceState {
    /// A conversation the bot can see: private channels and DMs it is not in do not exist for it.
    func visibleConversation(_ id: String?) throws -> Conversation {
        guard let id, !id.isEmpty, let conversation = conversations[id] else { throw APIError("channel_not_found") }
        if conversation.isPrivate && !conversation.members.contains(botUserID) { throw APIError("channel_not_found") }
        return conversation
    }

    func requireBotMember(_ conversation: Conversation) throws {
        if !conversation.members.contains(botUserID) { throw APIError("not_in_channel") }
    }

    /// Slack grants the conversation methods per channel type (reference/slack.md §5.2: "which one
    /// depends on the channel type"): the catalogue's any-of check lets `channels:manage` through
    /// for every `conversations.create`, but a private channel needs a `groups:` scope and a public
    /// one a `channels:` scope. Direct messages are not checked here.
    func requireScope(for kind: Conversation.Kind, public publicScopes: [String], private privateScopes: [String]) throws {
        let needed: [String]
        switch kind {
        case .publicChannel: needed = publicScopes
        case .privateChannel: needed = privateScopes
        case .directMessage: return
        }
        guard let grantedScopes, !needed.contains(where: grantedScopes.contains) else { return }
        throw APIError("missing_scope", [
            "needed": .string(needed.joined(separator: ",")), "provided": .string(grantedScopes.sorted().joined(separator: ",")),
        ])
    }

    func requireNotArchived(_ conversation: Conversation) throws {
        if conversation.isArchived { throw APIError("is_archived") }
    }

    /// Channel name rules of `conversations.create`/`rename` (reference/slack.md §5.2): lowercase
    /// letters, digits, hyphens and underscores, at most 80 characters, never silently normalised.
    func validateNewChannelName(_ name: String?, excluding: String? = nil) throws -> String {
        guard let name, !name.isEmpty else { throw APIError("invalid_name_required") }
        if name.count > 80 { throw APIError("invalid_name_maxlength") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        if !name.allSatisfy({ allowed.contains($0) }) { throw APIError("invalid_name_specials") }
        if name.allSatisfy({ $0 == "-" || $0 == "_" }) { throw APIError("invalid_name_punctuation") }
        if conversations.values.contains(where: { !$0.isIM && $0.name == name && $0.id != excluding }) {
            throw APIError("name_taken")
        }
        return name
    }

    func conversationJSON(_ id: String, includeMemberCount: Bool = false) -> JSONValue {
        conversations[id]?.json(viewer: botUserID, includeMemberCount: includeMemberCount) ?? .null
    }
}

/// Cursor pagination as Slack does it: an opaque `next_cursor` (here base64 of the next offset),
/// empty on the last page.
enum Pagination {
    static func page<T>(_ items: [T], limit: Int?, cursor: String?, defaultLimit: Int = 100, maximum: Int = 1000) throws -> (items: [T], next: String) {
        var start = 0
        if let cursor, !cursor.isEmpty {
            guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
                  text.hasPrefix("offset:"), let offset = Int(text.dropFirst(7)), offset >= 0, offset <= items.count
            else { throw APIError("invalid_cursor") }
            start = offset
        }
        let requested = limit ?? defaultLimit
        if requested < 0 { throw APIError("invalid_limit") }
        let size = requested == 0 ? defaultLimit : min(requested, maximum)
        let end = min(items.count, start + size)
        let next = end < items.count ? Data("offset:\(end)".utf8).base64EncodedString() : ""
        return (Array(items[start..<end]), next)
    }
}
