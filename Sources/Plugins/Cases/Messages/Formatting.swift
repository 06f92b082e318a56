import CasebookKit

/// Text helpers shared by the messages: durations people read at a glance and Slack's own date
/// tokens, which every reader sees in their time zone.
enum Formatting {
    /// `45s`, `12m`, `2h 15m`, `3d 4h`: the two largest units, never more.
    static func duration(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded()))
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 24 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h \(minutes % 60)m" }
        let days = hours / 24
        return hours % 24 == 0 ? "\(days)d" : "\(days)d \(hours % 24)h"
    }

    /// A Slack date token with a UTC fallback for clients that cannot render it.
    static func date(_ date: Date) -> String {
        let epoch = Int(date.timeIntervalSince1970)
        return "<!date^\(epoch)^{date_short_pretty} {time}|\(utc(date))>"
    }

    static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func user(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return "<@\(id)>"
    }

    static func channel(_ id: String) -> String { "<#\(id)>" }

    /// Escapes the three characters Slack's mrkdwn treats as control characters in user text.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func truncated(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(max(length - 1, 0))) + "…"
    }

    static func percent(_ ratio: Double) -> String {
        "\(Int((ratio * 100).rounded()))%"
    }

    static func statusEmoji(_ status: Case.Status) -> String {
        switch status {
        case .investigating: return "🔍"
        case .escalated: return "🚨"
        case .resolved: return "✅"
        case .closed: return "📁"
        }
    }
}
