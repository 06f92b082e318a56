import CasebookKit

/// How far behind the job system is, read from the jobs table (so every replica reports the same
/// numbers, and they are right after a restart).
public struct JobBacklog: Sendable, Equatable {
    /// Pending jobs whose time has come (a reminder due next hour is not backlog).
    public var due: Int
    /// Jobs that failed for good and wait for an operator or a Retry button.
    public var dead: Int
}

extension Database {
    public func jobBacklog() async throws -> JobBacklog {
        let now = millis(clock.now())
        return try await withSession { sql in
            let row = try await sql.raw("""
                SELECT
                    COALESCE(SUM(CASE WHEN state = 'pending' AND run_at <= \(bind: now) THEN 1 ELSE 0 END), 0) AS due,
                    COALESCE(SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END), 0) AS dead
                FROM casebook_jobs WHERE state IN ('pending', 'dead')
                """).first()
            return JobBacklog(
                due: try row?.decode(column: "due", as: Int.self) ?? 0, dead: try row?.decode(column: "dead", as: Int.self) ?? 0)
        }
    }
}
