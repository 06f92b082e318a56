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

    /// Where sockets are served in the URLs ``openConnection(_:_:)`` hands out, until
    /// ``resolvingSocketHost(_:to:)`` replaces it with the Socket Mode listener's address. Slack
    /// serves sockets from another host than the Web API (`wss-primary.slack.com`); a method
    /// handler only knows the Web API's base URL, the router knows the listener's.
    static let socketHost = "ws://wss-primary.simulator.invalid"

    /// Hands out a single-use WebSocket URL (reference/slack.md §1.1–1.2).
    static func openConnection(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let ticket = state.nextSecret(32)
        state.socketTickets.insert(ticket)
        return ["url": .string("\(socketHost)/link/?ticket=\(ticket)&app_id=\(state.workspace.appID)")]
    }

    /// An `apps.connections.open` answer with its URL pointing at `socketBaseURL`
    /// (`ws://127.0.0.1:<socket port>`).
    static func resolvingSocketHost(_ answer: JSONValue, to socketBaseURL: String) -> JSONValue {
        guard case .object(var object) = answer, let url = object["url"]?.string, url.hasPrefix(socketHost) else { return answer }
        object["url"] = .string(socketBaseURL + url.dropFirst(socketHost.count))
        return .object(object)
    }
}
