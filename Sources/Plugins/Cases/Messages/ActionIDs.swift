import CasebookKit

/// The `action_id`s of the buttons this plugin puts in messages, declared without the prefix the
/// host gives them (`escalate` is `cases.escalate` on the wire); each button's value is a case id.
enum ActionID {
    static let escalate = ActionKey<CasesPlugin>("escalate")
    static let resolve = ActionKey<CasesPlugin>("resolve")
    static let close = ActionKey<CasesPlugin>("close")
    /// "Close anyway" on the confirmation offered when closing an unresolved incident.
    static let confirmClose = ActionKey<CasesPlugin>("close_confirm")
    /// "Take command" on an incident nobody commands yet (escalated by an alert).
    static let takeCommand = ActionKey<CasesPlugin>("take_command")
    /// "Retry" next to a dead job in `/case status`; the value is `<case id> <job id>`.
    static let retryJob = ActionKey<CasesPlugin>("retry_job")
    /// "Retry" next to a dead job in `/case jobs` (admins only); the value is the job id.
    static let retryAnyJob = ActionKey<CasesPlugin>("jobs_retry")
}
