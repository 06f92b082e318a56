import CasebookKit

/// `auth.test` (bot token) and `apps.connections.open` (app token, Socket Mode).
enum AuthAPI {
    static let handlers: [String: MethodHandler] = ["auth.test": test, "apps.connections.open": openConnection]

    static func test(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let workspace = state.workspace
        return [
            "url": .string("https://\(workspace.teamDomain).slack.com/"), "team": .string(workspace.teamName),
            "user": .string(workspace.botName), "team_id": .string(workspace.teamID), "user_id": .string(workspace.botUserID),
            "bot_id": .string(workspace.botID), "app_id": .string(workspace.appID), "is_enterprise_install": false,
        ]
    }

    /// Hands out a single-use WebSocket URL (reference/slack.md §1.1–1.2).
    static func openConnection(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let ticket = state.nextSecret(32)
        state.socketTickets.insert(ticket)
        return ["url": .string("\(call.socketBaseURL)/link/?ticket=\(ticket)&app_id=\(state.workspace.appID)")]
    }
}
