import CasebookKit

/// `/case list`: active investigations and incidents, newest first.
enum ListMessage {
    static let perSection = 15

    static func make(_ cases: [Case], total: Int, now: Date) -> Message {
        guard !cases.isEmpty else { return Message("No active investigations or incidents. 🎉") }
        let lines = cases.map { item in
            let age = Formatting.duration(now.timeIntervalSince(item.openedAt))
            let commander = item.commander.map { " · commander \(Formatting.user($0))" } ?? ""
            return "\(Formatting.statusEmoji(item.status)) \(Formatting.channel(item.channelID)) *\(Formatting.escaped(Formatting.truncated(item.title, to: 80)))* — \(item.status.label) · \(age) old\(commander)"
        }
        let heading = "*\(total) active case\(total == 1 ? "" : "s")*" + (total > cases.count ? " (newest \(cases.count) shown)" : "")
        let chunks = stride(from: 0, to: lines.count, by: perSection).map { Array(lines[$0..<min($0 + perSection, lines.count)]) }
        return Message("\(total) active case\(total == 1 ? "" : "s")\n" + lines.joined(separator: "\n")) {
            Block.section(heading)
            for chunk in chunks { Block.section(chunk.joined(separator: "\n")) }
        }
    }
}
