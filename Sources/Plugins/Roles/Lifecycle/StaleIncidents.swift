import CasebookKit
import CasesPlugin

/// The daily check: incidents still unresolved `stale_after` after escalation are listed in the
/// digest channel, so none is forgotten open.
extension RolesPlugin {
    func staleIncidents(_ now: Date, _ context: PluginContext) async throws {
        let limit = configuration.staleAfter.duration.timeInterval
        let stale = await CaseDirectory(context: context).activeCases(limit: 1_000).filter { item in
            item.status == .escalated && now.timeIntervalSince(item.escalatedAt ?? item.openedAt) > limit
        }
        guard !stale.isEmpty else { return }
        var lines = ["🕰️ *\(stale.count) incident\(stale.count == 1 ? " has" : "s have") been open longer than \(configuration.staleAfter):*"]
        for item in stale.prefix(40) {
            let incident = try await loadIncident(item.id, context)
            let severity = incident.map { configuration.severityName($0.severity) } ?? "—"
            let status = incident?.status.label ?? "Investigating"
            lines.append("• \(item.publicChannel) *\(SlackText.escaped(item.publicTitle))* — \(severity) · \(status) · open "
                + "\(SlackText.duration(now.timeIntervalSince(item.escalatedAt ?? item.openedAt))) · commander \(SlackText.user(item.commander))")
        }
        if stale.count > 40 { lines.append("…and \(stale.count - 40) more (`\(context.usage("list"))`).") }
        try await context.slack.postMessage(channel: configuration.digestChannel, Message(lines.joined(separator: "\n")))
    }

    /// Lines for `/case status`: severity, incident status, roles and reminders.
    func statusLines(_ item: Case, _ context: PluginContext) async throws -> [String] {
        guard item.wasEscalated, let incident = try await loadIncident(item.id, context) else { return [] }
        let level = configuration.severities.level(incident.severity)
        var lines = [
            "*Severity:* \(configuration.severityName(incident.severity))" + (level.map { " — \($0.description)" } ?? ""),
            "*Incident status:* \(incident.status.emoji) \(incident.status.label)",
        ]
        lines += configuration.roles.roles.map { "*\($0.name):* \(SlackText.user(Self.holder(of: $0, item, incident)))" }
        if let update = incident.lastUpdate {
            lines.append("*Last update:* \(SlackText.date(update.at)) by \(SlackText.user(update.author))")
        }
        if let next = incident.nextReminderAt, item.status == .escalated {
            lines.append("*Next update reminder:* \(SlackText.date(next))")
        }
        lines += try await checklistStatusLine(item.id, context)
        return lines
    }
}
