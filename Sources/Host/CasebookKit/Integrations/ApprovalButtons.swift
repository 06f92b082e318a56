extension Approval {
    /// What an Approve or Reject button carries: the approval's id and the content hash of what the
    /// approver is looking at, so the gate can refuse a decision on content that changed since.
    public var decisionValue: String { "\(id):\(contentHash)" }

    /// The id and shown hash from a button's value; nil for anything else (a forged or old value
    /// then finds no approval, and the gate refuses).
    public static func decision(from value: String?) -> (id: String, shownHash: String)? {
        guard let value, let colon = value.lastIndex(of: ":") else { return nil }
        let id = String(value[..<colon])
        let hash = String(value[value.index(after: colon)...])
        guard !id.isEmpty, hash.count == 64 else { return nil }
        return (id, hash)
    }

    /// Approve (behind Slack's confirm dialog, since it triggers the side effect) and Reject.
    public func decisionButtons(
        approve approveID: String, reject rejectID: String, approveLabel: String = "Approve", confirm: Confirm
    ) -> [Element] {
        [
            .button(approveLabel, actionID: approveID, value: decisionValue, style: .primary, confirm: confirm),
            .button("Reject", actionID: rejectID, value: decisionValue, style: .danger),
        ]
    }
}
