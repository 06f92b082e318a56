import CasebookKit

/// The announcement of a case in `notifications_channel`, updated in place so the channel always
/// shows each case's current (and finally its last) state.
enum NotificationMessage {
    static func make(_ item: Case, now: Date) -> Message {
        let emoji = Formatting.statusEmoji(item.status)
        let title = Formatting.escaped(Formatting.truncated(item.title, to: 200))
        var line: String
        switch item.status {
        case .investigating:
            line = "\(emoji) New investigation \(Formatting.channel(item.channelID)): *\(title)* — opened by \(Formatting.user(item.openedBy))"
        case .escalated:
            line = "\(emoji) *Incident* \(Formatting.channel(item.channelID)): *\(title)* — commander \(Formatting.user(item.commander))"
        case .resolved:
            let ttr = item.timeToResolve.map { " in \(Formatting.duration($0))" } ?? ""
            line = "\(emoji) Incident resolved\(ttr) \(Formatting.channel(item.channelID)): *\(title)*"
        case .closed:
            line = "\(emoji) Closed \(Formatting.channel(item.channelID)): *\(title)* — open for \(Formatting.duration(item.duration(now: now)))"
            if item.wasEscalated { line += ", was an incident" }
        }
        var context = ["Opened \(Formatting.date(item.openedAt)) by \(Formatting.user(item.openedBy))"]
        if let escalatedAt = item.escalatedAt { context.append("escalated \(Formatting.date(escalatedAt))") }
        if let resolvedAt = item.resolvedAt { context.append("resolved \(Formatting.date(resolvedAt))") }
        if let closedAt = item.closedAt { context.append("closed \(Formatting.date(closedAt)) by \(Formatting.user(item.closedBy))") }
        return Message("\(emoji) \(item.status.label): \(Formatting.truncated(item.title, to: 200))") {
            Block.section(line, blockID: "notification")
            Block.context([.markdown(context.joined(separator: " · "))])
        }
    }
}
