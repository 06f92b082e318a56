import CasebookKit

/// `/case list`: active investigations and incidents, newest first.
enum ListMessage {
    static func make(_ cases: [Case], total: Int, now: Date) -> Message {
        guard !cases.isEmpty else { return Message("No active investigations or incidents. 🎉") }
        let lines = cases.map { item in
            let age = SlackText.duration(now.timeIntervalSince(item.openedAt))
            let commander = item.commander.map { " · commander \(SlackText.user($0))" } ?? ""
            return "\(Formatting.statusEmoji(item.status)) \(SlackText.channel(item.channelID)) *\(SlackText.escaped(SlackText.truncated(item.title, to: 80)))* — \(item.status.label) · \(age) old\(commander)"
        }
        let heading = "*\(total) active case\(total == 1 ? "" : "s")*" + (total > cases.count ? " (newest \(cases.count) shown)" : "")
        let chunks = sections(lines)
        return Message("\(total) active case\(total == 1 ? "" : "s")\n" + lines.joined(separator: "\n")) {
            Block.section(heading)
            for chunk in chunks { Block.section(chunk) }
        }
    }

    /// Lines packed into section texts within Slack's 3,000 characters.
    static func sections(_ lines: [String]) -> [String] {
        var sections: [String] = []
        var current = ""
        for line in lines {
            if !current.isEmpty && current.count + 1 + line.count > BlockKitLimits.sectionText {
                sections.append(current)
                current = ""
            }
            current += current.isEmpty ? line : "\n" + line
        }
        if !current.isEmpty { sections.append(current) }
        return sections
    }
}
