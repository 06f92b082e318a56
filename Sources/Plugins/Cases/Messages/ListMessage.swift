import CasebookKit

/// `/case list`: active investigations and incidents, newest first.
enum ListMessage {
    /// `hidden`: the private cases the reader is not in, counted and listed without title or channel.
    static func make(_ cases: [Case], total: Int, now: Date, hidden: Set<String> = []) -> Message {
        guard !cases.isEmpty else { return Message("No active investigations or incidents. 🎉") }
        let lines = cases.map { item in
            let age = SlackText.duration(now.timeIntervalSince(item.openedAt))
            let isMember = !hidden.contains(item.id)
            let commander = item.commander.map { " · commander \(SlackText.user($0))" } ?? ""
            let title = SlackText.escaped(SlackText.truncated(item.visibleTitle(toMember: isMember), to: 80))
            return "\(Formatting.statusEmoji(item.status)) \(item.visibleChannel(toMember: isMember)) *\(title)* — \(item.status.label) · \(age) old\(commander)"
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
