/// Text for Slack messages: mentions, date tokens every reader sees in their own time zone,
/// durations read at a glance, and escaping of user text. Shared by every plugin so they all speak alike.
public enum SlackText {
    /// `45s`, `12m`, `2h 15m`, `3d 4h`: the two largest units, never more.
    public static func duration(_ interval: TimeInterval) -> String {
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
    public static func date(_ date: Date) -> String {
        "<!date^\(Int(date.timeIntervalSince1970))^{date_short_pretty} {time}|\(utc(date))>"
    }

    /// `2026-11-23T14:45:00Z`. A format style, not a formatter per call: exports format four dates
    /// per row, and creating formatters dominated a 100,000-case export.
    public static func utc(_ date: Date) -> String {
        date.formatted(iso8601)
    }

    private static let iso8601 = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// `<@U123>`, or a dash for nobody.
    public static func user(_ id: String?) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return "<@\(id)>"
    }

    public static func channel(_ id: String) -> String { "<#\(id)>" }

    /// Escapes the three characters Slack's mrkdwn treats as control characters in user text.
    /// One pass over the UTF-8, and none of Foundation's string search: titles are escaped on every
    /// line of `/case list`, and most contain none of the three.
    public static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else {
            return text
        }
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    public static func truncated(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(max(length - 1, 0))) + "…"
    }
}
