import CasebookKit

/// The SQL of the plugin's tables; each function takes the handle it runs on.
enum ProviderStore {
    static func state(provider: String, on db: any SQLDatabase) async throws -> ProviderStatus? {
        guard let row = try await db.raw("SELECT state FROM status_providers_states WHERE provider = \(bind: provider)").first() else { return nil }
        return try JSONValue.decode(try row.decode(column: "state", as: String.self)).decode(as: ProviderStatus.self)
    }

    static func recordState(_ status: ProviderStatus, provider: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO status_providers_states (provider, state, seen_at) VALUES (\(bind: provider), \(bind: try JSONValue.from(status).encoded()), \(bind: millis(now)))
            ON CONFLICT (provider) DO UPDATE SET state = excluded.state, seen_at = excluded.seen_at
            """).run()
    }

    static func snapshot(caseID: String, on db: any SQLDatabase) async throws -> MessageRef? {
        try await db.raw("SELECT channel_id, message_ts FROM status_providers_snapshots WHERE case_id = \(bind: caseID)").first().map { row in
            MessageRef(channel: try row.decode(column: "channel_id", as: String.self), ts: try row.decode(column: "message_ts", as: String.self))
        }
    }

    static func recordSnapshot(caseID: String, _ ref: MessageRef, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO status_providers_snapshots (case_id, channel_id, message_ts, posted_at)
            VALUES (\(bind: caseID), \(bind: ref.channel), \(bind: ref.ts), \(bind: millis(now)))
            ON CONFLICT (case_id) DO NOTHING
            """).run()
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
