import Foundation

/// mrkdwn as a person reads it in the Slack client, for the playground console: mentions become
/// `@name` / `#channel` / `@group`, special mentions `@here`, dates readable UTC, links
/// `label (url)`, and `&lt;` `&gt;` `&amp;` their characters. Bold and italics markers stay — a
/// console has no other way to show them.
struct MrkdwnText {
    /// Looks names up; nil leaves the id as it is.
    var userName: (String) -> String?
    var channelName: (String) -> String?
    var groupHandle: (String) -> String?

    init(state: WorkspaceState) {
        userName = { state.users[$0]?.name }
        channelName = { state.conversations[$0]?.name }
        groupHandle = { id in state.workspace.userGroups.first { $0.id == id }?.handle }
    }

    /// The text with every `<…>` token replaced; an unclosed `<` stays literal.
    func plain(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            output += Self.unescape(rest[..<open])
            guard let close = rest[open...].firstIndex(of: ">") else {
                output += Self.unescape(rest[open...])
                return output
            }
            output += token(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        return output + Self.unescape(rest)
    }

    /// One `<…>` token, without its brackets.
    private func token(_ token: Substring) -> String {
        let (target, label) = Self.split(token)
        switch target.first {
        case "@":
            let id = String(target.dropFirst())
            return "@" + (userName(id) ?? label ?? id)
        case "#":
            let id = String(target.dropFirst())
            return "#" + (channelName(id) ?? label ?? id)
        case "!":
            return special(target.dropFirst(), label: label)
        default:
            // Not a link (`<description>` in a usage line written without escaping): shown as typed.
            guard target.contains(":") else { return "<\(Self.unescape(token))>" }
            // A link shows as its label with the address after it, unless the label is the address.
            let url = Self.unescape(target)
            guard let label, !label.isEmpty else { return url }
            return label == url || "mailto:\(label)" == url ? label : "\(label) (\(url))"
        }
    }

    /// `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^S…>`, `<!date^…>`.
    private func special(_ command: Substring, label: String?) -> String {
        let parts = command.split(separator: "^", omittingEmptySubsequences: false)
        switch parts.first {
        case "here", "channel", "everyone":
            return "@" + (parts.first.map(String.init) ?? "")
        case "subteam" where parts.count > 1:
            let id = String(parts[1])
            return "@" + (groupHandle(id) ?? label.map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 } ?? id)
        case "date" where parts.count > 2:
            return SlackDate(seconds: String(parts[1]), format: String(parts[2]))?.text ?? label ?? String(command)
        default:
            return label ?? String(command)
        }
    }

    /// `target|label` (the label unescaped), or the target alone.
    private static func split(_ token: Substring) -> (target: Substring, label: String?) {
        guard let bar = token.firstIndex(of: "|") else { return (token, nil) }
        return (token[..<bar], unescape(token[token.index(after: bar)...]))
    }

    /// The three characters Slack escapes in text.
    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A `<!date^seconds^format>` in UTC. Tokens: `{date_num}` 2026-12-02, `{date}` December 2nd, 2026,
/// `{date_short}` Dec 2, 2026, `{date_long}` Wednesday, December 2nd, 2026, their `_pretty` forms
/// (shown absolute: a console has no "today"), `{time}` 04:12 and `{time_secs}` 04:12:45.
/// Nil for an unknown token or a non-numeric time, so the fallback shows.
struct SlackDate {
    let text: String

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    init?(seconds: String, format: String) {
        guard let seconds = Double(seconds), let utc = TimeZone(identifier: "UTC") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        guard let year = parts.year, let month = parts.month, let day = parts.day, let weekday = parts.weekday,
              let hour = parts.hour, let minute = parts.minute, let second = parts.second
        else { return nil }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let monthName = Self.months[month - 1]
        let date = "\(monthName) \(Self.ordinal(day)), \(year)"
        let values = [
            "date_num": "\(year)-\(two(month))-\(two(day))",
            "date": date, "date_pretty": date,
            "date_short": "\(monthName.prefix(3)) \(day), \(year)", "date_short_pretty": "\(monthName.prefix(3)) \(day), \(year)",
            "date_long": "\(Self.weekdays[weekday - 1]), \(date)", "date_long_pretty": "\(Self.weekdays[weekday - 1]), \(date)",
            "time": "\(two(hour)):\(two(minute))", "time_secs": "\(two(hour)):\(two(minute)):\(two(second))",
        ]
        var text = ""
        var rest = Substring(format)
        while let open = rest.firstIndex(of: "{") {
            text += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] else { return nil }
            text += value
            rest = rest[rest.index(after: close)...]
        }
        self.text = text + rest
    }

    private static func ordinal(_ day: Int) -> String {
        switch (day % 10, day % 100) {
        case (_, 11...13): return "\(day)th"
        case (1, _): return "\(day)st"
        case (2, _): return "\(day)nd"
        case (3, _): return "\(day)rd"
        default: return "\(day)th"
        }
    }
}
