import CasebookKit
import Foundation

/// The Events API outer wrapper (reference/slack.md §4.1) with a unique `event_id`.
extension WorkspaceState {
    mutating func wrapEvent(_ inner: [String: JSONValue], now: Date) -> JSONValue {
        var event = inner
        let ts = nextTS(now)
        if event["event_ts"] == nil { event["event_ts"] = .string(ts) }
        let eventID = "Ev" + nextID("").suffix(6) + nextSecret(4).uppercased()
        return [
            "token": "sim-verification-token", "team_id": .string(teamID), "api_app_id": .string(workspace.appID),
            "event": .object(event), "type": "event_callback", "event_id": .string(eventID),
            "event_time": .number(now.timeIntervalSince1970.rounded(.down)),
            "authorizations": [[
                "enterprise_id": .null, "team_id": .string(teamID), "user_id": .string(botUserID),
                "is_bot": true, "is_enterprise_install": false,
            ]],
            "is_ext_shared_channel": .bool(event["channel"]?.string.flatMap { conversations[$0]?.isExtShared } ?? false),
            "event_context": .string("4-" + nextSecret(40)),
        ]
    }

    /// Records an event Slack would send to the app because of a state change.
    mutating func emitEvent(_ inner: [String: JSONValue], now: Date) {
        emittedEvents.append(wrapEvent(inner, now: now))
    }
}
