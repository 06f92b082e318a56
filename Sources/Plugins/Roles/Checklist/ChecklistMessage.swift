import CasebookKit

/// The pinned checklist message: one checkbox group per 10 items (Slack's limit per group), each
/// ticked item saying who ticked it and when. Rebuilt from state and updated in place, so everyone
/// sees the same list.
enum ChecklistMessage {
    static let tickActionID = ActionKey<RolesPlugin>("checklist_tick")
    static let itemsPerGroup = BlockKitLimits.checkboxOptions
    static let blockPrefix = "checklist"

    /// One line of the list.
    struct Entry: Sendable, Equatable {
        var key: String
        var text: String
        var tick: ChecklistTick?
    }

    /// The items of `severity` in order, then items ticked earlier that the list no longer has (an
    /// item of a former severity, or one since edited out of the file): recorded work stays shown.
    static func entries(_ checklist: Checklist, severity: String, ticks: [ChecklistTick]) -> [Entry] {
        let byKey = Dictionary(ticks.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let current = checklist.items(for: severity).map { text in
            let key = Checklist.key(text)
            return Entry(key: key, text: text, tick: byKey[key])
        }
        let shown = Set(current.map(\.key))
        return current + ticks.filter { !shown.contains($0.key) }.map { Entry(key: $0.key, text: $0.text, tick: $0) }
    }

    /// `3/7`.
    static func progress(_ entries: [Entry]) -> String {
        "\(entries.filter { $0.tick != nil }.count)/\(entries.count)"
    }

    static func make(_ entries: [Entry], severityName: String, repostUsage: String) -> Message {
        let done = entries.filter { $0.tick != nil }.count
        let headline = done == entries.count
            ? "📋 *Incident checklist* — all \(entries.count) done ✅"
            : "📋 *Incident checklist* — \(done) of \(entries.count) done"
        let groups = stride(from: 0, to: entries.count, by: itemsPerGroup).map { Array(entries[$0..<min($0 + itemsPerGroup, entries.count)]) }
        return Message("Incident checklist: \(done)/\(entries.count) done") {
            Block.section(
                headline + "\n_Tick an item when it is done: everyone sees who ticked it and when, and the incident's timeline records it._",
                blockID: "checklist_head")
            for group in groups {
                let options = group.map(option)
                Block.actions(
                    [.checkboxes(actionID: tickActionID.wire, options: options, initial: zip(group, options).filter { $0.0.tick != nil }.map(\.1))],
                    blockID: blockID(group))
            }
            Block.context([.markdown("Items for \(SlackText.escaped(severityName)) included · `\(repostUsage)` posts this list again")], blockID: "checklist_help")
        }
    }

    static func option(_ entry: Entry) -> Option {
        Option(SlackText.escaped(entry.text), value: entry.key, description: entry.tick.map(description), markdown: true)
    }

    /// `<@U0BOB> · <!date^…|14:05 UTC>`, within an option description's 75 characters.
    static func description(_ tick: ChecklistTick) -> String {
        let clock = SlackText.utc(tick.at).dropFirst(11).prefix(5)
        let full = "\(SlackText.user(tick.by)) · <!date^\(Int(tick.at.timeIntervalSince1970))^{date_short} {time}|\(clock) UTC>"
        return full.count <= BlockKitLimits.optionDescription ? full : SlackText.user(tick.by)
    }

    /// `checklist.<state>.<key>.<key>…`: the items the group showed, so a click is read against
    /// exactly what its clicker saw; the state part changes with every tick, so Slack's clients
    /// draw the updated boxes instead of keeping their own.
    static func blockID(_ group: [Entry]) -> String {
        let state = Checklist.key(group.compactMap { entry in entry.tick.map { "\(entry.key):\($0.by)" } }.joined(separator: ","))
        return ([blockPrefix, String(state.prefix(8))] + group.map(\.key)).joined(separator: ".")
    }

    /// The item keys a checkbox group showed, from its block id; empty for anything else.
    static func keys(inBlock blockID: String?) -> [String] {
        let parts = (blockID ?? "").split(separator: ".").map(String.init)
        guard parts.count > 2, parts[0] == blockPrefix else { return [] }
        return Array(parts.dropFirst(2))
    }
}
