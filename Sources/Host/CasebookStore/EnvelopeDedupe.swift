import CasebookKit

extension Database {
    /// Records that the Slack envelope or event `key` was seen, for `ttl`. Returns true the first time,
    /// false for a redelivery within the TTL, across restarts and across replicas (the primary key
    /// decides). Expired keys are purged on the way.
    public func firstDelivery(key: String, ttl: Duration) async throws -> Bool {
        let now = millis(clock.now())
        let expiresAt = now + Int64((ttl.timeInterval * 1000).rounded())
        return try await withSession { sql in
            try await sql.raw("DELETE FROM casebook_envelopes WHERE expires_at <= \(bind: now)").run()
            return try await !sql.raw("""
                INSERT INTO casebook_envelopes (key, expires_at) VALUES (\(bind: key), \(bind: expiresAt))
                ON CONFLICT (key) DO NOTHING
                RETURNING key
                """).all().isEmpty
        }
    }
}
