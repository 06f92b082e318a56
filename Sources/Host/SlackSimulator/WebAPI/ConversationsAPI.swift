import CasebookKit
import Foundation

/// `conversations.*`: channels the bot creates, joins, invites to, describes and archives.
enum ConversationsAPI {
    static let handlers: [String: MethodHandler] = [
        "conversations.create": create, "conversations.invite": invite, "conversations.join": join,
        "conversations.info": info, "conversations.members": members, "conversations.list": list,
        "conversations.setTopic": { state, call in try setText(&state, call, field: "topic") },
        "conversations.setPurpose": { state, call in try setText(&state, call, field: "purpose") },
        "conversations.archive": archive, "conversations.unarchive": unarchive, "conversations.rename": rename,
        "conversations.open": open,
    ]

    /// Creating, archiving and renaming a public channel.
    static let manageScopes = ["channels:manage", "channels:write"]

    static func create(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let isPrivate = call.bool("is_private")
        try state.requireScope(for: isPrivate ? .privateChannel : .publicChannel, public: manageScopes, private: ["groups:write"])
        let name = try state.validateNewChannelName(call.string("name"))
        let id = state.nextID(isPrivate ? "G" : "C")
        let bot = state.botUserID
        state.conversations[id] = Conversation(
            id: id, name: name, kind: isPrivate ? .privateChannel : .publicChannel,
            created: Int(call.now.timeIntervalSince1970), creator: bot, members: [bot])
        state.conversationOrder.append(id)
        state.emitEvent(["type": "channel_created", "channel": ["id": .string(id), "name": .string(name), "created": .number(call.now.timeIntervalSince1970.rounded(.down)), "creator": .string(bot)]], now: call.now)
        state.emitEvent(memberJoined(state, user: bot, channel: id, inviter: nil), now: call.now)
        return ["channel": state.conversationJSON(id)]
    }

    static func invite(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        if conversation.isIM { throw APIError("method_not_supported_for_channel_type") }
        try state.requireScope(
            for: conversation.kind, public: ["channels:write.invites", "channels:manage"], private: ["groups:write.invites", "groups:write"])
        try state.requireNotArchived(conversation)
        try state.requireBotMember(conversation)
        let users = call.list("users")
        if users.isEmpty { throw APIError("no_user") }
        if users.count > 100 { throw APIError("too_many_users") }
        var failures: [JSONValue] = []
        var accepted: [String] = []
        for id in users {
            let error: String?
            if id == state.botUserID {
                error = "cant_invite_self"
            } else if let user = state.users[id], !user.deleted {
                if conversation.members.contains(id) || accepted.contains(id) {
                    error = "already_in_channel"
                } else if user.isStranger && !conversation.isExtShared {
                    error = "no_external_invite_permission"
                } else {
                    error = nil
                }
            } else {
                error = "user_not_found"
            }
            if let error {
                failures.append(["user": .string(id), "ok": false, "error": .string(error)])
            } else {
                accepted.append(id)
            }
        }
        let force = call.bool("force")
        if let first = failures.first?["error"]?.string, !force || accepted.isEmpty {
            throw APIError(first, ["errors": .array(failures)])
        }
        for id in accepted {
            state.conversations[conversation.id]?.members.append(id)
            state.emitEvent(memberJoined(state, user: id, channel: conversation.id, inviter: state.botUserID), now: call.now)
        }
        var answer: [String: JSONValue] = ["channel": state.conversationJSON(conversation.id)]
        if !failures.isEmpty { answer["errors"] = .array(failures) }
        return answer
    }

    static func join(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        if conversation.isPrivate { throw APIError("method_not_supported_for_channel_type") }
        try state.requireNotArchived(conversation)
        var answer: [String: JSONValue] = [:]
        if conversation.members.contains(state.botUserID) {
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = ["warnings": ["already_in_channel"]]
        } else {
            let bot = state.botUserID
            state.conversations[conversation.id]?.members.append(bot)
            state.emitEvent(memberJoined(state, user: bot, channel: conversation.id, inviter: nil), now: call.now)
        }
        answer["channel"] = state.conversationJSON(conversation.id)
        return answer
    }

    static func info(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        try state.requireScope(for: conversation.kind, public: ["channels:read"], private: ["groups:read"])
        return ["channel": state.conversationJSON(conversation.id, includeMemberCount: call.bool("include_num_members"))]
    }

    static func members(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        try state.requireScope(for: conversation.kind, public: ["channels:read"], private: ["groups:read"])
        let page = try Pagination.page(conversation.members, limit: call.int("limit"), cursor: call.string("cursor"))
        return ["members": .array(page.items.map(JSONValue.string)), "response_metadata": ["next_cursor": .string(page.next)]]
    }

    static func list(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let types = Set(call.list("types").isEmpty ? ["public_channel"] : call.list("types"))
        let excludeArchived = call.bool("exclude_archived")
        let bot = state.botUserID
        let visible = state.conversationOrder.compactMap { state.conversations[$0] }.filter { conversation in
            if excludeArchived && conversation.isArchived { return false }
            switch conversation.kind {
            case .publicChannel: return types.contains("public_channel")
            case .privateChannel: return types.contains("private_channel") && conversation.members.contains(bot)
            case .directMessage: return types.contains("im")
            }
        }
        let page = try Pagination.page(visible, limit: call.int("limit"), cursor: call.string("cursor"))
        return [
            "channels": .array(page.items.map { $0.json(viewer: bot, includeMemberCount: true) }),
            "response_metadata": ["next_cursor": .string(page.next)],
        ]
    }

    /// `setTopic` / `setPurpose`: plain text, at most 250 characters.
    static func setText(_ state: inout WorkspaceState, _ call: APICall, field: String) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        try state.requireScope(
            for: conversation.kind, public: ["channels:write.topic", "channels:manage"], private: ["groups:write.topic", "groups:write"])
        try state.requireNotArchived(conversation)
        try state.requireBotMember(conversation)
        let value = call.string(field) ?? ""
        if value.count > 250 { throw APIError("too_long") }
        let text = Conversation.Text(value: value, creator: state.botUserID, lastSet: Int(call.now.timeIntervalSince1970))
        if field == "topic" { state.conversations[conversation.id]?.topic = text } else { state.conversations[conversation.id]?.purpose = text }
        return ["channel": state.conversationJSON(conversation.id)]
    }

    static func archive(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        if conversation.isIM { throw APIError("method_not_supported_for_channel_type") }
        try state.requireScope(for: conversation.kind, public: manageScopes, private: ["groups:write"])
        if conversation.isArchived { throw APIError("already_archived") }
        if conversation.isGeneral { throw APIError("cant_archive_general") }
        try state.requireBotMember(conversation)
        state.conversations[conversation.id]?.isArchived = true
        let type = conversation.isPrivate ? "group_archive" : "channel_archive"
        state.emitEvent(["type": .string(type), "channel": .string(conversation.id), "user": .string(state.botUserID)], now: call.now)
        return [:]
    }

    static func unarchive(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        try state.requireScope(for: conversation.kind, public: manageScopes, private: ["groups:write"])
        if !conversation.isArchived { throw APIError("not_archived") }
        state.conversations[conversation.id]?.isArchived = false
        let type = conversation.isPrivate ? "group_unarchive" : "channel_unarchive"
        state.emitEvent(["type": .string(type), "channel": .string(conversation.id), "user": .string(state.botUserID)], now: call.now)
        return [:]
    }

    static func rename(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let conversation = try state.visibleConversation(call.string("channel"))
        if conversation.isIM { throw APIError("method_not_supported_for_channel_type") }
        try state.requireScope(for: conversation.kind, public: manageScopes, private: ["groups:write"])
        try state.requireNotArchived(conversation)
        try state.requireBotMember(conversation)
        let name = try state.validateNewChannelName(call.string("name"), excluding: conversation.id)
        if name != conversation.name {
            state.conversations[conversation.id]?.previousNames.append(conversation.name)
            state.conversations[conversation.id]?.name = name
            let type = conversation.isPrivate ? "group_rename" : "channel_rename"
            state.emitEvent([
                "type": .string(type),
                "channel": ["id": .string(conversation.id), "name": .string(name), "name_normalized": .string(name), "created": .number(Double(conversation.created)), "is_channel": .bool(!conversation.isPrivate), "is_mpim": false],
            ], now: call.now)
        }
        return ["channel": state.conversationJSON(conversation.id)]
    }

    /// Opens the bot's DM with one user (`D…`). Multi-person DMs are not simulated.
    static func open(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        if let channel = call.string("channel"), call.string("users") == nil {
            guard let conversation = state.conversations[channel], conversation.isIM else { throw APIError("channel_not_found") }
            return ["channel": call.bool("return_im") ? state.conversationJSON(channel) : ["id": .string(channel)]]
        }
        let users = call.list("users")
        if users.isEmpty { throw APIError("users_list_not_supplied") }
        if users.count > 8 { throw APIError("too_many_users") }
        if users.count > 1 { throw APIError("method_not_supported_for_channel_type", ["detail": "multi-person DMs are not simulated"]) }
        guard let user = state.users[users[0]] else { throw APIError("user_not_found") }
        if user.deleted { throw APIError("user_disabled") }
        let existed = state.conversations.values.contains { $0.isIM && $0.imUser == user.id }
        let id = state.directMessage(with: user.id, now: call.now)
        var answer: [String: JSONValue] = ["channel": call.bool("return_im") ? state.conversationJSON(id) : ["id": .string(id)]]
        if existed {
            answer["no_op"] = true
            answer["already_open"] = true
        }
        return answer
    }

    static func memberJoined(_ state: WorkspaceState, user: String, channel: String, inviter: String?) -> [String: JSONValue] {
        var event: [String: JSONValue] = [
            "type": "member_joined_channel", "user": .string(user), "channel": .string(channel),
            "channel_type": .string(state.conversations[channel]?.isPrivate == true ? "G" : "C"), "team": .string(state.teamID),
        ]
        if let inviter { event["inviter"] = .string(inviter) }
        return event
    }
}
