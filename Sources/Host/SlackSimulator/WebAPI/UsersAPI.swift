import CasebookKit

/// `users.info`, `users.list` and `usergroups.users.list`.
enum UsersAPI {
    static let handlers: [String: MethodHandler] = [
        "users.info": info, "users.list": list, "users.lookupByEmail": lookupByEmail, "usergroups.users.list": groupMembers,
    ]

    /// Exact, case-insensitive match on `profile.email`, as Slack does; `users_not_found` otherwise.
    static func lookupByEmail(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard let email = call.string("email")?.lowercased(),
              let user = state.users.values.sorted(by: { $0.id < $1.id }).first(where: { $0.email?.lowercased() == email })
        else { throw APIError("users_not_found") }
        return ["user": user.json(includeEmail: true)]
    }

    static func info(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard let id = call.string("user"), let user = state.users[id] else { throw APIError("user_not_found") }
        return ["user": user.json(includeEmail: state.isGranted("users:read.email"))]
    }

    static func list(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let all = state.users.values.sorted { $0.id < $1.id }
        let page = try Pagination.page(all, limit: call.int("limit"), cursor: call.string("cursor"), defaultLimit: 1000)
        let email = state.isGranted("users:read.email")
        return [
            "members": .array(page.items.map { $0.json(includeEmail: email) }),
            "cache_ts": .number(call.now.timeIntervalSince1970.rounded(.down)),
            "response_metadata": ["next_cursor": .string(page.next)],
        ]
    }

    static func groupMembers(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard let id = call.string("usergroup"), let group = state.workspace.userGroups.first(where: { $0.id == id }) else {
            throw APIError("no_such_subteam")
        }
        return ["users": .array(group.users.map(JSONValue.string))]
    }
}
