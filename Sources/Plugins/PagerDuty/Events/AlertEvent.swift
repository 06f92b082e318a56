import CasebookKit
import CasesPlugin

/// One Events API v2 alert event for a case (reference/integrations.md §1.1). The dedup key is the
/// case's, so every event of a case — retries included — lands on the same PagerDuty alert.
struct AlertEvent: Equatable {
    enum Action: String { case trigger, resolve }

    var action: Action
    var dedupKey: String
    var summary: String
    var source: String
    var severity: String
    var customDetails: [String: JSONValue]
    var links: [(href: String, text: String)]

    static func == (a: AlertEvent, b: AlertEvent) -> Bool {
        a.action == b.action && a.dedupKey == b.dedupKey && a.severity == b.severity && a.summary == b.summary
    }

    /// `casebook-<case id>`: stable for the case, at most 255 characters.
    static func dedupKey(caseID: String) -> String { "casebook-\(caseID)" }

    /// PagerDuty cuts nothing: a summary over 1,024 characters is refused, so Casebook shortens it.
    static let summaryLimit = 1024

    static func trigger(for item: Case, severity: String, casebookSeverity: String?, team: String) -> AlertEvent {
        var details: [String: JSONValue] = [
            "case_id": .string(item.id), "channel": .string("#\(item.name)"), "channel_id": .string(item.channelID),
            "status": .string(item.status.label),
        ]
        if let commander = item.commander { details["commander"] = .string(commander) }
        if let casebookSeverity { details["severity"] = .string(casebookSeverity) }
        return AlertEvent(
            action: .trigger, dedupKey: dedupKey(caseID: item.id), summary: truncated(item.title), source: team,
            severity: severity, customDetails: details,
            links: [(href: "https://slack.com/app_redirect?team=\(team)&channel=\(item.channelID)", text: "Slack channel #\(item.name)")])
    }

    static func resolve(caseID: String) -> AlertEvent {
        AlertEvent(action: .resolve, dedupKey: dedupKey(caseID: caseID), summary: "", source: "", severity: "", customDetails: [:], links: [])
    }

    static func truncated(_ text: String) -> String {
        text.count <= summaryLimit ? text : String(text.prefix(summaryLimit - 1)) + "…"
    }

    /// The request body; acknowledge and resolve carry only the key, the action and the dedup key.
    func body(routingKey: String) -> JSONValue {
        var body: [String: JSONValue] = [
            "routing_key": .string(routingKey), "event_action": .string(action.rawValue), "dedup_key": .string(dedupKey),
        ]
        if action == .trigger {
            body["payload"] = [
                "summary": .string(summary), "source": .string(source), "severity": .string(severity),
                "custom_details": .object(customDetails),
            ]
            body["client"] = "Casebook"
            body["links"] = .array(links.map { ["href": .string($0.href), "text": .string($0.text)] })
        }
        return .object(body)
    }
}
