import CasebookKit

/// The `action_id`s of the plugin's buttons, declared without the prefix the host gives them
/// (`approve` is `statuspage.approve` on the wire). Approve, Edit and Discard carry the approval id (Approve with the content hash the
/// clicker saw, `<id>:<hash>`); the control panel's button carries the case id.
enum ActionID {
    static let approve = ActionKey<StatuspagePlugin>("approve")
    static let edit = ActionKey<StatuspagePlugin>("edit")
    static let discard = ActionKey<StatuspagePlugin>("discard")
    static let openDraft = ActionKey<StatuspagePlugin>("open_draft")
}
