import CasebookKit
import Synchronization

/// The connection a task is currently using, so that nested store calls (a job scheduled inside a
/// plugin's transaction, a read inside a read) join it instead of deadlocking on the SQLite writer
/// lock or escaping the transaction on PostgreSQL.
struct Session: Sendable {
    /// Which ``Database`` the session belongs to.
    let owner: ObjectIdentifier
    let sql: any SQLDatabase
    let inTransaction: Bool
    /// Set when something in the session scheduled a job; runners are woken after commit, never before
    /// (a runner woken earlier would not see the uncommitted row and would sleep past it).
    let wakeAfterCommit: WakeFlag

    @TaskLocal static var current: Session?
}

/// A flag shared by the nested calls of one session.
final class WakeFlag: Sendable {
    private let value = Mutex(false)
    init() {}
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
