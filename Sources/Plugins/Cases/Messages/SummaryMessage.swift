import CasebookKit

/// The case summary posted first in the case channel, updated in place on every change, with
/// buttons for the next steps the case allows.
enum SummaryMessage {
    static func make(_ item: Case, now: Date) -> Message {
        let emoji = Formatting.statusEmoji(item.status)
        let kind = item.wasEscalated ? "Incident" : "Investigation"
        let title = SlackText.truncated(item.title, to: 120)
        var fields: [Text] = [
            .markdown("*Status*\n\(emoji) \(item.status.label)"),
            .markdown("*Opened by*\n\(SlackText.user(item.openedBy))"),
            .markdown("*Opened*\n\(SlackText.date(item.openedAt))"),
            .markdown("*Evidence*\n\(item.evidenceCount)"),
        ]
        if let commander = item.commander { fields.append(.markdown("*Commander*\n\(SlackText.user(commander))")) }
        if let escalatedAt = item.escalatedAt { fields.append(.markdown("*Escalated*\n\(SlackText.date(escalatedAt))")) }
        if let resolvedAt = item.resolvedAt {
            let ttr = item.timeToResolve.map { " (\(SlackText.duration($0)))" } ?? ""
            fields.append(.markdown("*Resolved*\n\(SlackText.date(resolvedAt))\(ttr)"))
        }
        if let closedAt = item.closedAt {
            fields.append(.markdown("*Closed*\n\(SlackText.date(closedAt)) after \(SlackText.duration(item.duration(now: now)))"))
        }
        let buttons = nextSteps(item)
        // `text` is the notification and is parsed for mentions: a typed `<!channel>` must not ping anyone.
        return Message("\(emoji) \(kind): \(SlackText.escaped(title)) — \(item.status.label)") {
            Block.header("\(emoji) \(kind): \(title)")
            Block.section(.markdown(SlackText.escaped(item.title)), fields: fields, accessory: nil, blockID: "summary")
            if !buttons.isEmpty { Block.actions(buttons, blockID: "next_steps") }
            Block.context([.markdown(hint(item))])
        }
    }

    static func nextSteps(_ item: Case) -> [Element] {
        let escalate = Element.button(
            "Escalate to incident", actionID: ActionID.escalate.wire, value: item.id, style: .danger,
            confirm: Confirm(title: "Escalate to an incident?", text: "You become the incident commander and the response team is notified.", confirm: "Escalate"))
        let resolve = Element.button("Resolve incident", actionID: ActionID.resolve.wire, value: item.id, style: .primary)
        let close = Element.button("Close case", actionID: ActionID.close.wire, value: item.id)
        switch item.status {
        case .investigating: return [escalate, close]
        case .escalated where item.commander == nil:
            return [Element.button("Take command", actionID: ActionID.takeCommand.wire, value: item.id, style: .primary), resolve, close]
        case .escalated: return [resolve, close]
        case .resolved: return [close]
        case .closed: return []
        }
    }

    static func hint(_ item: Case) -> String {
        switch item.status {
        case .investigating: return "Collect evidence with the message shortcut *Collect Evidence*; `/case incident` if it is one."
        case .escalated: return "`/case resolve` when service is restored; `/case transfer @someone` hands over command."
        case .resolved: return "Service restored. `/case close` when the follow-up is done."
        case .closed: return "Closed. The channel is archived; the timeline is kept."
        }
    }
}
