/// The `action_id`s of the plugin's buttons, written with the plugin's prefix as the other plugins
/// write theirs. Approve, Edit and Discard carry the approval id (Approve with the content hash the
/// clicker saw, `<id>:<hash>`); the control panel's button carries the case id.
enum ActionID {
    static let approve = "statuspage.approve"
    static let edit = "statuspage.edit"
    static let discard = "statuspage.discard"
    static let openDraft = "statuspage.open_draft"
}
