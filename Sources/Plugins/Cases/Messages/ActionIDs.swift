import CasebookKit

/// The `action_id`s of the buttons this plugin puts in messages; each button's value is a case id.
enum ActionID {
    static let escalate = "cases.escalate"
    static let resolve = "cases.resolve"
    static let close = "cases.close"
    /// "Close anyway" on the confirmation offered when closing an unresolved incident.
    static let confirmClose = "cases.close_confirm"
    /// "Take command" on an incident nobody commands yet (escalated by an alert).
    static let takeCommand = "cases.take_command"
    /// "Retry" next to a dead job in `/case status`; the value is `<case id> <job id>`.
    static let retryJob = "cases.retry_job"
    /// "Retry" next to a dead job in `/case jobs` (admins only); the value is the job id.
    static let retryAnyJob = "cases.jobs_retry"
}
