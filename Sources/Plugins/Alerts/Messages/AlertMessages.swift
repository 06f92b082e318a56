import CasebookKit

/// What the plugin posts in a case channel. Alert text is escaped: labels and annotations are
/// written by whoever configured the alert rule.
enum AlertMessages {
    /// The first message in the channel: status, labels, annotations, start time and links.
    static func summary(_ notice: AlertNotice) -> Message {
        var lines = ["🔔 *\(SlackText.escaped(notice.title))* — \(status(notice)) (from \(notice.source.name))"]
        if let started = notice.startedAt { lines.append("*Started:* \(SlackText.escaped(started))") }
        if !notice.labels.isEmpty { lines.append("*Labels:* " + pairs(notice.labels)) }
        for (key, value) in notice.annotations.sorted(by: { $0.key < $1.key }) {
            lines.append("*\(SlackText.escaped(key)):* \(SlackText.escaped(SlackText.truncated(value, to: 500)))")
        }
        if !notice.links.isEmpty { lines.append("*Links:* " + notice.links.map { "<\($0)>" }.joined(separator: " · ")) }
        return Message(SlackText.truncated(lines.joined(separator: "\n"), to: 3_000))
    }

    /// The threaded note for a repeat: how many alerts are firing now.
    static func stillFiring(_ notice: AlertNotice) -> Message {
        var text = "🔁 Still firing (\(alerts(notice.firingCount)))"
        if notice.resolvedCount > 0 { text += ", \(notice.resolvedCount) resolved" }
        return Message(text + ".")
    }

    static func resolved(_ notice: AlertNotice) -> Message {
        Message("✅ Alert resolved in \(notice.source.name)" + (notice.actor.map { " by \(SlackText.escaped($0))" } ?? "") + ".")
    }

    static func acknowledged(_ notice: AlertNotice) -> Message {
        Message("👀 Alert acknowledged in \(notice.source.name)" + (notice.actor.map { " by \(SlackText.escaped($0))" } ?? "") + ".")
    }

    static func status(_ notice: AlertNotice) -> String {
        notice.resolvedCount > 0 ? "firing (\(alerts(notice.firingCount)), \(notice.resolvedCount) resolved)" : "firing (\(alerts(notice.firingCount)))"
    }

    static func alerts(_ count: Int) -> String { count == 1 ? "1 alert" : "\(count) alerts" }

    static func pairs(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { "`\(SlackText.escaped($0.key))=\(SlackText.escaped($0.value))`" }.joined(separator: " ")
    }
}
