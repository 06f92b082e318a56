import CasebookKit

/// The draft as posted in the case channel: exactly what would be published, and where it stands.
/// Updated in place at every step (edited, approved, published, failed, discarded).
enum DraftMessage {
    /// What the message shows besides the draft itself.
    enum Stage: Sendable, Equatable {
        case awaitingApproval
        case publishing
        case published(link: String?, at: Date)
        case failed(String)
        case discarded(by: String?)
    }

    static func make(_ draft: Draft, _ approval: Approval, approvers: String, stage: Stage) -> Message {
        let heading: String
        var lines: [String] = []
        var buttons: [Element] = []
        let approve = Element.button(
            "Approve & publish", actionID: ActionID.approve.wire, value: approval.decisionValue, style: .primary,
            confirm: Confirm(
                title: "Publish to the status page?", text: "Customers will see this on the status page\(draft.deliverNotifications ? " and subscribers are notified" : "").",
                confirm: "Publish", deny: "Not yet"))
        let edit = Element.button("Edit", actionID: ActionID.edit.wire, value: approval.id)
        let discard = Element.button("Discard", actionID: ActionID.discard.wire, value: approval.id, style: .danger)
        switch stage {
        case .awaitingApproval:
            heading = "📝 Status page draft — awaiting approval"
            lines.append("Needs approval from \(approvers). Nothing is published until then.")
            buttons = [approve, edit, discard]
        case .publishing:
            heading = "⏳ Status page draft — approved, publishing"
            lines.append("Approved by \(SlackText.user(approval.decidedBy)) \(approval.decidedAt.map(SlackText.date) ?? ""); publishing to Statuspage…")
            buttons = [edit, discard]
        case .published(let link, let at):
            heading = "📣 Published to the status page"
            lines.append("Approved by \(SlackText.user(approval.decidedBy)) \(approval.decidedAt.map(SlackText.date) ?? ""), published \(SlackText.date(at))"
                + (link.map { " · <\($0)|public incident>" } ?? ""))
        case .failed(let reason):
            heading = "⚠️ Status page draft — publishing failed"
            lines.append("Statuspage refused it: \(SlackText.escaped(reason)). Fix the cause (or edit the draft), then approve again.")
            buttons = [approve, edit, discard]
        case .discarded(let user):
            heading = "🗑 Status page draft — discarded"
            lines.append("Discarded\(user.map { " by \(SlackText.user($0))" } ?? ""); it can no longer be published.")
        }
        let facts = "*Name:* \(SlackText.escaped(draft.name))\n*Status:* \(draft.status.label)\n"
            + "*Notify subscribers:* \(draft.deliverNotifications ? "yes" : "no")\n*Components:* \(componentsLine(draft))"
        let text = "\(heading): \(draft.name) (\(draft.status.label))"
        return Message(SlackText.truncated(text, to: 3_000)) {
            Block.header(SlackText.truncated(heading, to: 150), blockID: "draft_header")
            Block.section(SlackText.truncated(facts, to: 3_000), blockID: "draft_facts")
            Block.section(SlackText.truncated(quoted(draft.body), to: 3_000), blockID: "draft_body")
            Block.context([.markdown(SlackText.truncated(lines.joined(separator: "\n"), to: 2_000))], blockID: "draft_stage")
            if !buttons.isEmpty { Block.actions(buttons, blockID: "draft_actions") }
        }
    }

    static func componentsLine(_ draft: Draft) -> String {
        guard !draft.components.isEmpty else { return "none" }
        return draft.components.keys.sorted { (draft.componentNames[$0] ?? $0) < (draft.componentNames[$1] ?? $1) }.map { id in
            "\(SlackText.escaped(draft.componentNames[id] ?? id)) → \(Draft.componentLabel(draft.components[id] ?? ""))"
        }.joined(separator: ", ")
    }

    /// The customer-facing text as a block quote (escaped: it is shown, not interpreted).
    static func quoted(_ body: String) -> String {
        body.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + SlackText.escaped(String($0)) }.joined(separator: "\n")
    }
}
