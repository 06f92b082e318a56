import CasebookKit

/// An alert group and the case it opened; `caseID` is nil while a job is opening it.
struct AlertGroup: Equatable, Sendable {
    var source: String
    var groupKey: String
    var caseID: String?
    var channelID: String?
    /// The alert summary in the case channel, under which repeats are noted.
    var threadTS: String?
    var firingCount: Int
    /// `opening`, `firing`, `acknowledged` or `resolved`.
    var state: String
    var claimedAt: Date
}

/// The SQL of `alerts_groups`; each function takes the handle it runs on.
enum AlertGroupStore {
    static func find(source: String, groupKey: String, on db: any SQLDatabase) async throws -> AlertGroup? {
        guard let row = try await db.raw("""
            SELECT source, group_key, case_id, channel_id, thread_ts, firing_count, state, claimed_at FROM alerts_groups
            WHERE source = \(bind: source) AND group_key = \(bind: groupKey)
            """).first()
        else { return nil }
        return AlertGroup(
            source: try row.decode(column: "source", as: String.self), groupKey: try row.decode(column: "group_key", as: String.self),
            caseID: try row.decode(column: "case_id", as: String?.self), channelID: try row.decode(column: "channel_id", as: String?.self),
            threadTS: try row.decode(column: "thread_ts", as: String?.self), firingCount: try row.decode(column: "firing_count", as: Int.self),
            state: try row.decode(column: "state", as: String.self),
            claimedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "claimed_at", as: Int64.self)) / 1000))
    }

    /// Claims the group for the job that will open its case: true when this caller now holds it
    /// (no row yet, or a claim older than `staleBefore` whose job died).
    static func claim(source: String, groupKey: String, at now: Date, staleBefore: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO alerts_groups (source, group_key, state, claimed_at, updated_at)
            VALUES (\(bind: source), \(bind: groupKey), 'opening', \(bind: millis(now)), \(bind: millis(now)))
            ON CONFLICT (source, group_key) DO UPDATE SET claimed_at = excluded.claimed_at, case_id = NULL, state = 'opening'
            WHERE alerts_groups.case_id IS NULL AND alerts_groups.claimed_at < \(bind: millis(staleBefore))
            RETURNING group_key
            """).first() != nil
    }

    /// Forgets the case of a group whose case was closed, so the next firing opens a new one.
    static func release(source: String, groupKey: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM alerts_groups WHERE source = \(bind: source) AND group_key = \(bind: groupKey)").run()
    }

    static func opened(
        source: String, groupKey: String, caseID: String, channelID: String, threadTS: String?, firingCount: Int, at now: Date,
        on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            UPDATE alerts_groups SET case_id = \(bind: caseID), channel_id = \(bind: channelID), thread_ts = \(bind: threadTS),
                firing_count = \(bind: firingCount), state = 'firing', updated_at = \(bind: millis(now))
            WHERE source = \(bind: source) AND group_key = \(bind: groupKey)
            """).run()
    }

    static func update(source: String, groupKey: String, state: String, firingCount: Int?, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE alerts_groups SET state = \(bind: state), firing_count = COALESCE(\(bind: firingCount), firing_count),
                updated_at = \(bind: millis(now))
            WHERE source = \(bind: source) AND group_key = \(bind: groupKey)
            """).run()
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
