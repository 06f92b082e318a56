import CasebookKit

extension Database {
    /// Counts one invocation by `user` in a sliding window kept in the database, so that every
    /// replica on it sees the same count. Returns nil when admitted (and recorded); otherwise how
    /// long until the oldest invocation leaves the window. On PostgreSQL a per-user advisory lock
    /// makes the count-then-insert atomic across replicas; SQLite has a single writer anyway.
    public func admitInvocation(user: String, limit: Int, window: Duration) async throws -> TimeInterval? {
        let now = millis(clock.now())
        let length = Int64((window.timeInterval * 1000).rounded())
        let postgres = isPostgres
        return try await inTransaction { sql in
            if postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: InvocationWindowLock.namespace), hashtext(\(bind: user)))").run()
            }
            try await sql.raw("DELETE FROM casebook_rate_hits WHERE user_id = \(bind: user) AND at <= \(bind: now - length)").run()
            let row = try await sql.raw("SELECT COUNT(*) AS hits, MIN(at) AS oldest FROM casebook_rate_hits WHERE user_id = \(bind: user)").first()
            let hits = try row?.decode(column: "hits", as: Int.self) ?? 0
            if hits >= limit, let oldest = try row?.decode(column: "oldest", as: Int64?.self) {
                return TimeInterval(oldest + length - now) / 1000
            }
            try await sql.raw("INSERT INTO casebook_rate_hits (user_id, at) VALUES (\(bind: user), \(bind: now))").run()
            return nil
        }
    }

    /// Forgets invocations older than `window`: people who stopped typing leave the table.
    public func forgetInvocations(olderThan window: Duration) async throws {
        let cutoff = millis(clock.now()) - Int64((window.timeInterval * 1000).rounded())
        try await withSession { sql in
            try await sql.raw("DELETE FROM casebook_rate_hits WHERE at <= \(bind: cutoff)").run()
        }
    }
}

/// The first key of the per-user advisory lock (the second is the user id's hash); fits in int4.
enum InvocationWindowLock {
    static let namespace: Int32 = 0x6361_7365  // "case"
}
