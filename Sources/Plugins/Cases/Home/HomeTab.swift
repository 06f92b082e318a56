import CasebookKit

/// The app's Home tab (`home_tab: true`): the open investigations and incidents, newest first,
/// the viewer's own recent cases, and a "Start a case" button that opens the Start modal.
enum HomeTab {
    static let callbackID = CallbackKey<CasesPlugin>("home")
    /// The "Start a case" button; it opens the same modal as the ⚡ shortcut.
    static let startAction = ActionKey<CasesPlugin>("home_start")
    /// Open cases shown before "and N more": with the rest of the tab this stays well within the
    /// Home tab's 100 blocks, one section per case.
    static let openLimit = 40
    /// The viewer's own cases shown, closed ones included.
    static let ownLimit = 5

    /// What every member's Home shows, read once per refresh.
    struct Board: Sendable, Equatable {
        /// Open cases, newest first, at most ``openLimit``.
        var open: [Case]
        /// How many are open in all.
        var openTotal: Int
        /// Severity names by case id, from the plugin that keeps severities (none without one).
        var severities: [String: String]
    }

    /// - Parameters:
    ///   - open: open cases, newest first, at most ``openLimit``; `total` counts them all.
    ///   - own: the viewer's recent cases; `severities` names the severity of any case by id.
    static func make(
        _ open: [Case], total: Int, own: [Case], severities: [String: String], now: Date, _ context: PluginContext
    ) -> HomeView {
        let incidents = open.filter { $0.status == .escalated }.count
        let summary = total == 0
            ? "No open investigations or incidents. 🎉"
            : "*\(total) open case\(total == 1 ? "" : "s")*"
                + (total == open.count ? " · \(incidents) incident\(incidents == 1 ? "" : "s")" : "")
        return HomeView(callbackID: callbackID.wire) {
            Block.header("Open cases")
            Block.actions([
                .button("Start a case", actionID: startAction.wire, style: .primary),
            ])
            Block.section(summary)
            // A private case shows its title only to the people who took part in it (its channel's
            // live members are not read for every viewer of every refresh): "a private case" otherwise.
            let ownIDs = Set(own.map(\.id))
            for item in open { Block.section(line(item, severity: severities[item.id], now: now, isMember: ownIDs.contains(item.id))) }
            if total > open.count {
                Block.context([.markdown("…and \(total - open.count) more — `\(context.usage("list"))` lists them.")])
            }
            Block.divider
            Block.header("Your recent cases")
            if own.isEmpty {
                Block.section("You haven't taken part in a case yet. Cases you open, command, collect evidence for or join show up here.")
            }
            for item in own { Block.section(line(item, severity: severities[item.id], now: now)) }
            Block.context([.markdown("Updated \(SlackText.date(now))")])
        }
    }

    /// One case: status, severity (when known), commander, age and a link to its channel.
    static func line(_ item: Case, severity: String?, now: Date, isMember: Bool = true) -> String {
        var facts = [item.status.label]
        if let severity { facts.append(severity) }
        if let commander = item.commander, item.status != .closed { facts.append("commander \(SlackText.user(commander))") }
        if let closed = item.closedAt {
            facts.append("closed \(SlackText.duration(now.timeIntervalSince(closed))) ago")
        } else {
            facts.append("\(SlackText.duration(now.timeIntervalSince(item.openedAt))) old")
        }
        let title = SlackText.escaped(SlackText.truncated(item.visibleTitle(toMember: isMember), to: 150))
        return "\(Formatting.statusEmoji(item.status)) \(item.visibleChannel(toMember: isMember)) *\(title)*\n\(facts.joined(separator: " · "))"
    }

    /// What a guest or someone from another organisation sees: nothing about any case.
    static func restricted() -> HomeView {
        HomeView(callbackID: callbackID.appending("restricted").wire) {
            Block.section("Casebook's Home shows investigations and incidents to members of this workspace only.")
        }
    }
}
