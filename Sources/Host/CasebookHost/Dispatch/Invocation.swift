import CasebookKit

/// A delivery parsed into what a plugin handles. Message text in shortcut payloads is dropped here,
/// on arrival: only the message's channel and timestamp survive.
public enum Invocation: Sendable, Equatable {
    case command(SlashCommand)
    case shortcut(Shortcut)
    case blockAction(BlockAction)
    case viewSubmission(ViewSubmission)
    case viewClosed(ViewSubmission)
    case event(SlackEvent)

    /// What routing needs of each case, in the one switch over them: the route kind and id, the
    /// handler's input, and who acts from where.
    public struct Routing: Sendable {
        public let kind: RouteKind
        public let id: String
        public let input: any Sendable
        public let userID: String?
        public let teamID: String
        public let triggerID: String?
        public let responseURL: String?
    }

    public var routing: Routing {
        switch self {
        case .command(let command):
            Routing(kind: .command, id: command.subcommand, input: command, userID: command.userID, teamID: command.teamID,
                    triggerID: command.triggerID, responseURL: command.responseURL)
        case .shortcut(let shortcut):
            Routing(kind: .shortcut, id: shortcut.callbackID, input: shortcut, userID: shortcut.userID, teamID: shortcut.teamID,
                    triggerID: shortcut.triggerID, responseURL: shortcut.responseURL)
        case .blockAction(let action):
            Routing(kind: .blockAction, id: action.actionID, input: action, userID: action.userID, teamID: action.teamID,
                    triggerID: action.triggerID, responseURL: action.responseURL)
        case .viewSubmission(let view):
            Routing(kind: .viewSubmission, id: view.callbackID, input: view, userID: view.userID, teamID: view.teamID,
                    triggerID: view.triggerID, responseURL: nil)
        case .viewClosed(let view):
            Routing(kind: .viewClosed, id: view.callbackID, input: view, userID: view.userID, teamID: view.teamID,
                    triggerID: nil, responseURL: nil)
        case .event(let event):
            Routing(kind: .event, id: event.type, input: event, userID: event.userID, teamID: event.teamID,
                    triggerID: nil, responseURL: nil)
        }
    }

    /// The acting user, when there is one.
    public var userID: String? { routing.userID }

    public var teamID: String { routing.teamID }

    /// A short label for logs and metrics: `command:open`, `block_action:cases.escalate`, …
    public var label: String {
        let routing = routing
        return "\(routing.kind.rawValue):\(routing.id)"
    }

    /// Where a late reply can go.
    public var responseURL: String? { routing.responseURL }

    public var triggerID: String? { routing.triggerID }

    /// Parses a delivery. Returns nil for payload kinds Casebook does not handle.
    public static func parse(_ inbound: Inbound, slashCommand: String) -> Invocation? {
        let payload = inbound.payload
        switch inbound.kind {
        case .slashCommand:
            let parts = (payload["text"]?.string ?? "").split(maxSplits: 1, whereSeparator: \.isWhitespace)
            let subcommand = parts.first.map { String($0).lowercased() } ?? ""
            let arguments = parts.count > 1 ? String(parts[1].trimmingWhitespace()) : ""
            return .command(SlashCommand(
                command: payload["command"]?.string ?? slashCommand, subcommand: subcommand, arguments: arguments,
                userID: payload["user_id"]?.string ?? "", teamID: payload["team_id"]?.string ?? "",
                channelID: payload["channel_id"]?.string ?? "", channelName: payload["channel_name"]?.string ?? "",
                triggerID: payload["trigger_id"]?.string, responseURL: payload["response_url"]?.string))
        case .interactive:
            return parseInteractive(payload)
        case .eventsAPI:
            guard payload["type"]?.string == "event_callback", let event = payload["event"], let type = event["type"]?.string else {
                return nil
            }
            return .event(SlackEvent(
                type: type, eventID: payload["event_id"]?.string ?? "", teamID: payload["team_id"]?.string ?? "", payload: event))
        }
    }

    static func parseInteractive(_ payload: JSONValue) -> Invocation? {
        let userID = payload["user"]?["id"]?.string ?? ""
        let teamID = payload["team"]?["id"]?.string ?? payload["user"]?["team_id"]?.string ?? ""
        let triggerID = payload["trigger_id"]?.string
        switch payload["type"]?.string {
        case "message_action":
            return .shortcut(Shortcut(
                callbackID: payload["callback_id"]?.string ?? "", userID: userID, teamID: teamID, triggerID: triggerID,
                channelID: payload["channel"]?["id"]?.string,
                messageTS: payload["message_ts"]?.string ?? payload["message"]?["ts"]?.string,
                responseURL: payload["response_url"]?.string))
        case "shortcut":
            return .shortcut(Shortcut(callbackID: payload["callback_id"]?.string ?? "", userID: userID, teamID: teamID, triggerID: triggerID))
        case "block_actions":
            guard let action = payload["actions"]?[0] else { return nil }
            let container = payload["container"]
            return .blockAction(BlockAction(
                actionID: action["action_id"]?.string ?? "", blockID: action["block_id"]?.string,
                value: action["value"]?.string ?? action["selected_option"]?["value"]?.string,
                selectedUser: action["selected_user"]?.string, userID: userID, teamID: teamID, triggerID: triggerID,
                responseURL: payload["response_url"]?.string,
                channelID: payload["channel"]?["id"]?.string ?? container?["channel_id"]?.string,
                messageTS: container?["message_ts"]?.string ?? payload["message"]?["ts"]?.string,
                viewID: payload["view"]?["id"]?.string ?? container?["view_id"]?.string,
                privateMetadata: payload["view"]?["private_metadata"]?.string,
                selectedValues: action["selected_options"]?.array?.compactMap { $0["value"]?.string } ?? []))
        case "view_submission", "view_closed":
            let view = payload["view"] ?? .null
            let submission = ViewSubmission(
                callbackID: view["callback_id"]?.string ?? "", viewID: view["id"]?.string ?? "", userID: userID,
                teamID: teamID, triggerID: triggerID, privateMetadata: view["private_metadata"]?.string ?? "",
                values: parseValues(view["state"]?["values"]))
            return payload["type"]?.string == "view_submission" ? .viewSubmission(submission) : .viewClosed(submission)
        default:
            return nil
        }
    }

    static func parseValues(_ values: JSONValue?) -> [String: [String: ViewValue]] {
        guard let blocks = values?.object else { return [:] }
        var result: [String: [String: ViewValue]] = [:]
        for (blockID, actions) in blocks {
            for (actionID, state) in actions.object ?? [:] {
                result[blockID, default: [:]][actionID] = ViewValue(
                    type: state["type"]?.string ?? "",
                    value: state["value"]?.string ?? state["selected_option"]?["value"]?.string,
                    selectedUser: state["selected_user"]?.string,
                    selectedUsers: state["selected_users"]?.array?.compactMap(\.string) ?? [],
                    selectedConversation: state["selected_conversation"]?.string ?? state["selected_channel"]?.string,
                    selectedOptions: state["selected_options"]?.array?.compactMap { $0["value"]?.string } ?? [])
            }
        }
        return result
    }
}

extension Substring {
    /// Without leading and trailing white space (spaces, tabs, newlines).
    func trimmingWhitespace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return self[first...last]
    }
}
