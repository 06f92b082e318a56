import CasebookKit
import CasesPlugin

/// The incident's message in the digest channel: the state at a glance, updated in place.
enum DigestMessage {
    static func make(_ item: Case, _ incident: Incident, _ configuration: RolesPlugin.Configuration) -> Message {
        let severity = configuration.severityName(incident.severity)
        let emoji = Words.severityEmoji(rank: configuration.severities.rank(incident.severity))
        let title = Words.escaped(item.title)
        let closed = item.status == .closed
        let state = closed ? "📁 Closed" : "\(incident.status.emoji) \(incident.status.label)"
        let roles = configuration.roles.roles.map { role in
            "*\(Words.escaped(role.name)):* \(Words.user(RolesPlugin.holder(of: role, item, incident)))"
        }
        var lines = [
            "\(emoji) *\(severity)* · \(state) — *\(title)* in \(Words.channel(item.channelID))",
            roles.joined(separator: " · "),
        ]
        if let update = incident.lastUpdate {
            var line = "*Last update* \(Words.date(update.at)) by \(Words.user(update.author)): *Impact:* \(Words.escaped(Words.truncated(update.impact, to: 300)))"
            if let components = update.components { line += " · *Components:* \(Words.escaped(Words.truncated(components, to: 200)))" }
            line += "\n" + Words.escaped(Words.truncated(update.text, to: 1_200))
            lines.append(line)
        } else {
            lines.append("_No update posted yet._")
        }
        var footer = "Escalated \(Words.date(item.escalatedAt ?? incident.createdAt)) by \(Words.user(item.escalatedBy))"
        if let resolvedAt = item.resolvedAt { footer += " · ✅ resolved \(Words.date(resolvedAt)) by \(Words.user(item.resolvedBy))" }
        if let rca = incident.rcaChannel { footer += " · RCA in \(Words.channel(rca))" }
        let text = "\(severity) · \(closed ? "Closed" : incident.status.label) — \(item.title)"
        return Message(text) {
            Block.section(Words.truncated(lines.joined(separator: "\n"), to: 3_000), blockID: "digest_state")
            Block.context([.markdown(footer)], blockID: "digest_footer")
        }
    }
}
