import CasebookKit

/// Text helpers: Slack's date tokens (each reader sees their own time zone), durations at a glance,
/// mentions and escaping of user text.
enum Words {
    static func date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return "<!date^\(Int(date.timeIntervalSince1970))^{date_short_pretty} {time}|\(formatter.string(from: date))>"
    }

    /// `45s`, `12m`, `2h 15m`, `3d 4h`.
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

    static func user(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return "<@\(id)>"
    }

    static func channel(_ id: String) -> String { "<#\(id)>" }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func truncated(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(max(length - 1, 0))) + "…"
    }

    static func severityEmoji(rank: Int?) -> String {
        switch rank {
        case 0: return "🔴"
        case 1: return "🟠"
        case 2: return "🟡"
        default: return "🔵"
        }
    }
}
