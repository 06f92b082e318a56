import CasebookKit

/// The logic behind `casebook jobs …`.
extension Database {
    /// Jobs in `states` (default: what an operator cares about), soonest first.
    public func listJobs(states: [String] = ["pending", "running", "dead"], limit: Int = 1000) async throws -> [ScheduledJob] {
        guard !states.isEmpty else { return [] }
        return try await withSession { sql in try await JobQueue.list(sql, states: states, limit: limit) }
    }

    /// Cancels a pending or dead job. Returns false if there is no such job in those states
    /// (a running job can't be cancelled; its handler is already executing).
    @discardableResult
    public func cancelJob(id: Int64) async throws -> Bool {
        let now = millis(clock.now())
        return try await withSession { sql in try await JobQueue.cancel(sql, id: id, now: now) }
    }

    /// Makes a dead job pending again, due now, with a fresh set of attempts (its last error is kept
    /// until it runs). Returns false if there is no dead job with this id.
    @discardableResult
    public func retryJob(id: Int64) async throws -> Bool {
        let now = millis(clock.now())
        let retried = try await inTransaction { sql in try await JobQueue.retry(sql, id: id, now: now) }
        if retried { wakeRunners() }
        return retried
    }
}
