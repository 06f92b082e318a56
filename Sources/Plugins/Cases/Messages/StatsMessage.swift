import CasebookKit

/// `/case stats`: the operational dashboard.
enum StatsMessage {
    static func make(_ stats: CaseStats) -> Message {
        let none = "—"
        let now = "*Now:* \(stats.openInvestigations) open investigation\(stats.openInvestigations == 1 ? "" : "s"), "
            + "\(stats.openIncidents) unresolved incident\(stats.openIncidents == 1 ? "" : "s")"
        let week = "*Last 7 days:* \(stats.openedLastWeek) opened, \(stats.escalatedLastWeek) escalated, "
            + "\(SlackText.duration(stats.timeSpentLastWeek)) spent in cases"
        let overall = [
            "*Average time to close:* \(stats.averageTimeToClose.map(SlackText.duration) ?? none)",
            "*MTTR (escalation → resolve):* \(stats.meanTimeToResolve.map(SlackText.duration) ?? none)",
            "*Escalation rate:* \(stats.escalationRate.map(Formatting.percent) ?? none) of \(stats.totalCases) case\(stats.totalCases == 1 ? "" : "s")",
        ]
        let text = ([now, week] + overall).joined(separator: "\n")
        return Message(text) {
            Block.header("📊 Case statistics")
            Block.section(now + "\n" + week, blockID: "recent")
            Block.section(overall.joined(separator: "\n"), blockID: "overall")
        }
    }
}
