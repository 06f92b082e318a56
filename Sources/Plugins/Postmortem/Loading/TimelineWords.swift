import CasebookKit

/// An audit entry in words for a reader outside Slack: "Escalated to an incident", "Severity
/// changed from SEV4 to SEV1". An entry may carry its own words in `details.text` (publishers write
/// "RCA page created: <link>" that way); an action nobody taught this file reads as its name.
struct TimelineWords: Sendable {
    static let summaryKey = PostmortemDocument.timelineSummaryKey
    let people: [String: PostmortemDocument.Person]
    let roleNames: [String: String]
    let severityNames: [String: String]

    func describe(_ entry: AuditEntry) -> String {
        let details = entry.details
        switch entry.action {
        case "case.opened": return "Investigation opened"
        case "case.escalated": return "Escalated to an incident"
        case "case.commander_changed": return "Command handed to \(name(details["to"]?.string))"
        case "case.evidence_added": return "Evidence added: \(details["permalink"]?.string ?? "a message")"
        case "case.resolved": return "Incident resolved"
        case "case.closed": return "Case closed"
        case "roles.severity_changed":
            let to = severity(details["to"]?.string)
            guard let from = details["from"]?.string else { return "Severity set to \(to)" }
            return "Severity changed from \(severity(from)) to \(to)"
        case "roles.status_changed": return "Status changed to \(details["to"]?.string ?? "?")"
        case "roles.role_assigned":
            let role = details["role"]?.string ?? "a role"
            return "\(name(details["user"]?.string)) became \(roleNames[role] ?? role)"
        case "roles.update_posted": return "Status update posted — impact: \(details["impact"]?.string ?? "")"
        case "roles.rca_channel_created": return "RCA channel created" + (details["name"]?.string.map { ": #\($0)" } ?? "")
        case "roles.reminders_silenced": return "Update reminders silenced"
        default:
            if let summary = details[Self.summaryKey]?.string, !summary.isEmpty { return summary }
            return entry.action.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: ".", with: ": ")
        }
    }

    func name(_ id: String?) -> String {
        guard let id else { return "someone" }
        return people[id]?.name ?? id
    }

    func severity(_ id: String?) -> String {
        guard let id else { return "?" }
        return severityNames[id] ?? id.uppercased()
    }
}
