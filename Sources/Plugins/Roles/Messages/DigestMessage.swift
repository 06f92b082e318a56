import CasebookKit
import CasesPlugin

/// The incident's message in the digest channel: the state at a glance, updated in place. The digest
/// channel is a broadcast place: a private case shows as ``Case/publicTitle``, without its channel
/// or its updates' words (those stay in its channel).
enum DigestMessage {
    static func make(_ item: Case, _ incident: Incident, _ configuration: RolesPlugin.Configuration) -> Message {
        let severity = configuration.severityName(incident.severity)
        let emoji = Words.severityEmoji(rank: configuration.severities.rank(incident.severity))
        let title = SlackText.escaped(item.publicTitle)
        let closed = item.status == .closed
        let state = closed ? "📁 Closed" : "\(incident.status.emoji) \(incident.status.label)"
        let roles = configuration.roles.roles.map { role in
            "*\(SlackText.escaped(role.name)):* \(SlackText.user(RolesPlugin.holder(of: role, item, incident)))"
        }
        var lines = [
            "\(emoji) *\(severity)* · \(state) — *\(title)* in \(item.publicChannel)",
            roles.joined(separator: " · "),
        ]
        if item.isPrivate {
            lines.append("_Updates of a private case stay in its channel._")
        } else if let update = incident.lastUpdate {
            var line = "*Last update* \(SlackText.date(update.at)) by \(SlackText.user(update.author)): *Impact:* \(SlackText.escaped(SlackText.truncated(update.impact, to: 300)))"
            if let components = update.components { line += " · *Components:* \(SlackText.escaped(SlackText.truncated(components, to: 200)))" }
            line += "\n" + SlackText.escaped(SlackText.truncated(update.text, to: 1_200))
            lines.append(line)
        } else {
            lines.append("_No update posted yet._")
        }
        var footer = "Escalated \(SlackText.date(item.escalatedAt ?? incident.createdAt)) by \(SlackText.user(item.escalatedBy))"
        if let resolvedAt = item.resolvedAt { footer += " · ✅ resolved \(SlackText.date(resolvedAt)) by \(SlackText.user(item.resolvedBy))" }
        if let rca = incident.rcaChannel { footer += " · RCA in \(SlackText.channel(rca))" }
        let text = "\(severity) · \(closed ? "Closed" : incident.status.label) — \(title)"
        return Message(text) {
            Block.section(SlackText.truncated(lines.joined(separator: "\n"), to: 3_000), blockID: "digest_state")
            Block.context([.markdown(footer)], blockID: "digest_footer")
        }
    }
}
