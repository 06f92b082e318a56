import CasebookKit

/// The announcement of a case in `notifications_channel`, updated in place so the channel always
/// shows each case's current (and finally its last) state. Anyone may read that channel, so a
/// private case appears without its title or channel (``Case/publicTitle``).
enum NotificationMessage {
    static func make(_ item: Case, now: Date) -> Message {
        let emoji = Formatting.statusEmoji(item.status)
        let title = SlackText.escaped(SlackText.truncated(item.publicTitle, to: 200))
        let channel = item.publicChannel
        var line: String
        switch item.status {
        case .investigating where item.isPrivate:
            line = "🔒 A private case was opened by \(SlackText.user(item.openedBy))"
        case .investigating:
            line = "\(emoji) New investigation \(channel): *\(title)* — opened by \(SlackText.user(item.openedBy))"
        case .escalated:
            line = "\(emoji) *Incident* \(channel): *\(title)* — commander \(SlackText.user(item.commander))"
        case .resolved:
            let ttr = item.timeToResolve.map { " in \(SlackText.duration($0))" } ?? ""
            line = "\(emoji) Incident resolved\(ttr) \(channel): *\(title)*"
        case .closed:
            line = "\(emoji) Closed \(channel): *\(title)* — open for \(SlackText.duration(item.duration(now: now)))"
            if item.wasEscalated { line += ", was an incident" }
        }
        var context = ["Opened \(SlackText.date(item.openedAt)) by \(SlackText.user(item.openedBy))"]
        if let escalatedAt = item.escalatedAt { context.append("escalated \(SlackText.date(escalatedAt))") }
        if let resolvedAt = item.resolvedAt { context.append("resolved \(SlackText.date(resolvedAt))") }
        if let closedAt = item.closedAt { context.append("closed \(SlackText.date(closedAt)) by \(SlackText.user(item.closedBy))") }
        // `text` is what the notification shows and is parsed for mentions: typed ones are escaped.
        return Message("\(emoji) \(item.status.label): \(title)") {
            Block.section(line, blockID: "notification")
            Block.context([.markdown(context.joined(separator: " · "))])
        }
    }
}
