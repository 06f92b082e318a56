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

    /// The acting user, when there is one.
    public var userID: String? {
        switch self {
        case .command(let command): return command.userID
        case .shortcut(let shortcut): return shortcut.userID
        case .blockAction(let action): return action.userID
        case .viewSubmission(let view), .viewClosed(let view): return view.userID
        case .event(let event): return event.userID
        }
    }

    public var teamID: String {
        switch self {
        case .command(let command): return command.teamID
        case .shortcut(let shortcut): return shortcut.teamID
        case .blockAction(let action): return action.teamID
        case .viewSubmission(let view), .viewClosed(let view): return view.teamID
        case .event(let event): return event.teamID
        }
    }

    /// A short label for logs and metrics: `command:open`, `block_action:cases.escalate`, …
    public var label: String {
        switch self {
        case .command(let command): return "command:\(command.subcommand)"
        case .shortcut(let shortcut): return "shortcut:\(shortcut.callbackID)"
        case .blockAction(let action): return "block_action:\(action.actionID)"
        case .viewSubmission(let view): return "view_submission:\(view.callbackID)"
        case .viewClosed(let view): return "view_closed:\(view.callbackID)"
        case .event(let event): return "event:\(event.type)"
        }
    }

    /// Where a late reply can go.
    public var responseURL: String? {
        switch self {
        case .command(let command): return command.responseURL
        case .shortcut(let shortcut): return shortcut.responseURL
        case .blockAction(let action): return action.responseURL
        default: return nil
        }
    }

    public var triggerID: String? {
        switch self {
        case .command(let command): return command.triggerID
        case .shortcut(let shortcut): return shortcut.triggerID
        case .blockAction(let action): return action.triggerID
        case .viewSubmission(let view): return view.triggerID
        default: return nil
        }
    }

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
