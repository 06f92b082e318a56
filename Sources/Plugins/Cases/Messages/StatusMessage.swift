import CasebookKit

/// The answer to `/case status`: the case at a glance, its latest timeline entries, and the lines
/// other plugins contribute through ``CasesPlugin/statusLines``.
enum StatusMessage {
    static let timelineEntries = 5

    static let deadJobsShown = 5

    static func make(_ item: Case, timeline: [AuditEntry], contributed: [String], deadJobs: [ScheduledJob] = [], now: Date) -> Message {
        let emoji = Formatting.statusEmoji(item.status)
        var facts = [
            "*Status:* \(emoji) \(item.status.label)",
            "*Opened by* \(SlackText.user(item.openedBy)) \(SlackText.date(item.openedAt))",
            "*Duration:* \(SlackText.duration(item.duration(now: now)))",
            "*Evidence:* \(item.evidenceCount)",
            "*Commander:* \(SlackText.user(item.commander))",
        ]
        if let escalatedAt = item.escalatedAt {
            facts.append("*Escalated* \(SlackText.date(escalatedAt)) by \(SlackText.user(item.escalatedBy))")
        }
        if let resolvedAt = item.resolvedAt {
            let ttr = item.timeToResolve.map { " — time to resolve \(SlackText.duration($0))" } ?? ""
            facts.append("*Resolved* \(SlackText.date(resolvedAt)) by \(SlackText.user(item.resolvedBy))\(ttr)")
        }
        if let closedAt = item.closedAt {
            facts.append("*Closed* \(SlackText.date(closedAt)) by \(SlackText.user(item.closedBy))")
        }
        let recent = timeline.suffix(timelineEntries).map { entry in
            "• \(SlackText.date(entry.at)) \(SlackText.user(entry.actor == "casebook" ? nil : entry.actor)) \(describe(entry))"
        }
        let extra = contributed.filter { !$0.isEmpty }.prefix(20).map { SlackText.truncated($0, to: 300) }
        return Message("\(emoji) \(item.status.label): \(item.title)") {
            Block.header(SlackText.truncated("\(emoji) \(item.title)", to: 150))
            Block.section(facts.joined(separator: "\n"), blockID: "facts")
            if !extra.isEmpty { Block.section(SlackText.truncated(extra.joined(separator: "\n"), to: 3000), blockID: "contributed") }
            if !recent.isEmpty {
                Block.section(SlackText.truncated("*Timeline*\n" + recent.joined(separator: "\n"), to: 3000), blockID: "timeline")
            }
            // Work about this case that failed for good (every attempt spent): said in words, with a
            // way to try again for the commander or an admin.
            for job in deadJobs.prefix(deadJobsShown) {
                Block.section(
                    SlackText.truncated(
                        "⚠️ *Gave up:* `\(job.plugin)` `\(job.name)` (job \(job.id)) after \(job.attempts) attempt\(job.attempts == 1 ? "" : "s")"
                            + (job.lastError.map { " — \(SlackText.escaped(SlackText.truncated($0, to: 300)))" } ?? ""),
                        to: 3000),
                    accessory: .button("Retry", actionID: ActionID.retryJob.wire, value: "\(item.id) \(job.id)"),
                    blockID: "dead_job_\(job.id)")
            }
        }
    }

    /// The action of a timeline entry in words (`case.escalated` → "escalated to an incident").
    static func describe(_ entry: AuditEntry) -> String {
        switch entry.action {
        case "case.opened": return "opened the investigation"
        case "case.evidence_added": return "added evidence"
        case "case.escalated": return "escalated to an incident"
        case "case.commander_changed":
            return "handed command to \(SlackText.user(entry.details["to"]?.string))"
        case "case.resolved": return "resolved the incident"
        case "case.closed": return "closed the case"
        case "case.job_retried": return "retried job \(entry.details["job"]?.int.map(String.init) ?? "?")"
        default:
            // Other plugins may say it in words (`details.summary`: "RCA page created: <link>").
            return entry.details["summary"]?.string.map(SlackText.escaped) ?? entry.action
        }
    }
}
