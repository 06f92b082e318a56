import CasebookKit

/// A job claimed by a runner, with its lease held.
struct ClaimedJob: Sendable {
    var id: Int64
    var plugin: String
    var name: String
    var payload: String
    var runAt: Int64
    var attempts: Int
    var maxAttempts: Int?
    var dedupeKey: String?
    /// The lease's generation: bumped by every claim, so a runner whose lease was taken over (even
    /// by a runner with the same worker id) can neither renew nor settle the job.
    var generation: Int64
    /// The `traceparent` the job was queued under, if any (see ``JobRunner/traced(_:_:)``).
    var trace: String?
}

/// The SQL of the `casebook_jobs` table. Every statement is the same on SQLite and PostgreSQL except
/// the claim, which uses `FOR UPDATE SKIP LOCKED` on PostgreSQL so replicas never wait on each other.
///
/// States: `pending` → `running` (leased) → `done`; a failure goes back to `pending` with backoff,
/// or to `dead` after the last attempt; `cancelled` by key or by an operator.
///
/// Fencing: a lease is the pair (worker id, `lease_generation`). Renewing and settling a job check
/// both, so once another runner claimed an expired lease, the old holder's writes match no row.
enum JobQueue {
    static let listColumns = "id, plugin, name, run_at, dedupe_key, attempts, state, last_error"

    static func insert(
        _ sql: any SQLDatabase, plugin: String, name: String, payload: String, runAt: Int64, dedupeKey: String?,
        maxAttempts: Int? = nil, now: Int64, trace: String? = TraceContext.current?.traceparent
    ) async throws -> Int64 {
        let row: (any SQLRow)?
        if let dedupeKey {
            // Same pending key: keep one row and move it to the new time and payload.
            row = try await sql.raw("""
                INSERT INTO casebook_jobs (plugin, name, payload, run_at, attempts, max_attempts, dedupe_key, state, created_at, updated_at, trace)
                VALUES (\(bind: plugin), \(bind: name), \(bind: payload), \(bind: runAt), 0, \(bind: maxAttempts), \(bind: dedupeKey), 'pending', \(bind: now), \(bind: now), \(bind: trace))
                ON CONFLICT (plugin, dedupe_key) WHERE state = 'pending'
                DO UPDATE SET name = excluded.name, payload = excluded.payload, run_at = excluded.run_at,
                    max_attempts = excluded.max_attempts, updated_at = excluded.updated_at, trace = excluded.trace
                RETURNING id
                """).first()
        } else {
            row = try await sql.raw("""
                INSERT INTO casebook_jobs (plugin, name, payload, run_at, attempts, max_attempts, state, created_at, updated_at, trace)
                VALUES (\(bind: plugin), \(bind: name), \(bind: payload), \(bind: runAt), 0, \(bind: maxAttempts), 'pending', \(bind: now), \(bind: now), \(bind: trace))
                RETURNING id
                """).first()
        }
        guard let row else { throw StoreError.jobConflict(id: 0, reason: "the insert returned no id") }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// Inserts the row of a recurring job unless one is pending or running (a recurring job is one row
    /// that cycles between the two, so exactly one replica runs each period).
    static func ensureRecurring(_ sql: any SQLDatabase, plugin: String, name: String, key: String, runAt: Int64, now: Int64) async throws {
        try await sql.raw("""
            INSERT INTO casebook_jobs (plugin, name, payload, run_at, attempts, dedupe_key, state, created_at, updated_at)
            SELECT \(bind: plugin), \(bind: name), 'null', \(bind: runAt), 0, \(bind: key), 'pending', \(bind: now), \(bind: now)
            WHERE NOT EXISTS (
                SELECT 1 FROM casebook_jobs WHERE plugin = \(bind: plugin) AND dedupe_key = \(bind: key) AND state IN ('pending', 'running')
            )
            ON CONFLICT (plugin, dedupe_key) WHERE state = 'pending' DO NOTHING
            """).run()
    }

    static func cancel(_ sql: any SQLDatabase, plugin: String, dedupeKey: String, now: Int64) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs SET state = 'cancelled', updated_at = \(bind: now)
            WHERE plugin = \(bind: plugin) AND dedupe_key = \(bind: dedupeKey) AND state = 'pending'
            RETURNING id
            """).all().isEmpty
    }

    static func pending(_ sql: any SQLDatabase, plugin: String, prefix: String) async throws -> [ScheduledJob] {
        let length = prefix.unicodeScalars.count
        return try await sql.raw("""
            SELECT \(unsafeRaw: listColumns) FROM casebook_jobs
            WHERE plugin = \(bind: plugin) AND state = 'pending' AND dedupe_key IS NOT NULL
              AND substr(dedupe_key, 1, CAST(\(bind: length) AS INTEGER)) = \(bind: prefix)
            ORDER BY run_at, id
            """).all().map(scheduledJob)
    }

    static func list(_ sql: any SQLDatabase, plugin: String, states: [String], limit: Int) async throws -> [ScheduledJob] {
        try await sql.raw("""
            SELECT \(unsafeRaw: listColumns) FROM casebook_jobs
            WHERE plugin = \(bind: plugin) AND state IN (\(binds: states)) ORDER BY run_at, id LIMIT \(literal: limit)
            """).all().map(scheduledJob)
    }

    /// Dead jobs (of every plugin) whose payload contains `needle`, most recent first; only job
    /// `id` when given.
    static func dead(_ sql: any SQLDatabase, postgres: Bool, mentioning needle: String, limit: Int, id: Int64? = nil) async throws -> [ScheduledJob] {
        let contains: SQLQueryString = postgres ? "strpos(payload, \(bind: needle)) > 0" : "instr(payload, \(bind: needle)) > 0"
        let only: SQLQueryString = id.map { "AND id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT \(unsafeRaw: listColumns) FROM casebook_jobs
            WHERE state = 'dead' AND \(contains) \(only) ORDER BY updated_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(scheduledJob)
    }

    /// `subject` as it appears as a string value in a JSON payload.
    static func quoted(_ subject: String) -> String {
        "\"" + subject.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The plugin that owns job `id`, if it exists.
    static func owner(_ sql: any SQLDatabase, id: Int64) async throws -> String? {
        try await sql.raw("SELECT plugin FROM casebook_jobs WHERE id = \(bind: id)").first()?.decode(column: "plugin", as: String.self)
    }

    static func list(_ sql: any SQLDatabase, states: [String], limit: Int) async throws -> [ScheduledJob] {
        try await sql.raw("""
            SELECT \(unsafeRaw: listColumns) FROM casebook_jobs
            WHERE state IN (\(binds: states)) ORDER BY run_at, id LIMIT \(literal: limit)
            """).all().map(scheduledJob)
    }

    /// How many jobs (of every plugin) are in `states`.
    static func count(_ sql: any SQLDatabase, states: [String]) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS total FROM casebook_jobs WHERE state IN (\(binds: states))")
            .first()?.decode(column: "total", as: Int.self) ?? 0
    }

    /// A pending job waits while a job with its dedupe key runs, so work keyed by one thing (one
    /// case's alert) never runs twice at once; it is claimed when that one finishes.
    static let notBlocked = """
        (j.dedupe_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM casebook_jobs r WHERE r.plugin = j.plugin AND r.dedupe_key = j.dedupe_key AND r.state = 'running'))
        """

    /// Leases up to `limit` due jobs: pending ones whose time has come (and whose key is not
    /// running), and running ones whose lease expired (their runner died).
    static func claim(
        _ sql: any SQLDatabase, postgres: Bool, worker: String, now: Int64, leaseUntil: Int64, limit: Int
    ) async throws -> [ClaimedJob] {
        let lock = postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await sql.raw("""
            UPDATE casebook_jobs
            SET state = 'running', locked_by = \(bind: worker), locked_until = \(bind: leaseUntil),
                attempts = attempts + 1, lease_generation = lease_generation + 1, updated_at = \(bind: now)
            WHERE id IN (
                SELECT id FROM casebook_jobs j
                WHERE (j.state = 'pending' AND j.run_at <= \(bind: now) AND \(unsafeRaw: notBlocked))
                   OR (j.state = 'running' AND j.locked_until <= \(bind: now))
                ORDER BY j.run_at, j.id LIMIT \(literal: limit) \(unsafeRaw: lock)
            )
            RETURNING id, plugin, name, payload, run_at, attempts, max_attempts, dedupe_key, lease_generation, trace
            """).all().map { row in
                ClaimedJob(
                    id: try row.decode(column: "id", as: Int64.self),
                    plugin: try row.decode(column: "plugin", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    payload: try row.decode(column: "payload", as: String.self),
                    runAt: try row.decode(column: "run_at", as: Int64.self),
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    maxAttempts: try row.decode(column: "max_attempts", as: Int?.self),
                    dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
                    generation: try row.decode(column: "lease_generation", as: Int64.self),
                    trace: try row.decode(column: "trace", as: String?.self)
                )
            }
    }

    /// The lease held by one claim: the fence every write of its holder must pass.
    static func held(_ job: ClaimedJob, worker: String) -> SQLQueryString {
        "id = \(bind: job.id) AND locked_by = \(bind: worker) AND lease_generation = \(bind: job.generation) AND state = 'running'"
    }

    /// Extends the lease of a job still held by this claim; false if it was lost.
    static func renew(_ sql: any SQLDatabase, _ job: ClaimedJob, worker: String, leaseUntil: Int64) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs SET locked_until = \(bind: leaseUntil)
            WHERE \(held(job, worker: worker))
            RETURNING id
            """).all().isEmpty
    }

    /// Marks the job done; false (and nothing written) if its lease was lost.
    @discardableResult
    static func markDone(_ sql: any SQLDatabase, _ job: ClaimedJob, worker: String, now: Int64) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs SET state = 'done', locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = \(bind: now)
            WHERE \(held(job, worker: worker))
            RETURNING id
            """).all().isEmpty
    }

    @discardableResult
    static func markDead(_ sql: any SQLDatabase, _ job: ClaimedJob, worker: String, error: String, now: Int64) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs SET state = 'dead', locked_by = NULL, locked_until = NULL, last_error = \(bind: error), updated_at = \(bind: now)
            WHERE \(held(job, worker: worker))
            RETURNING id
            """).all().isEmpty
    }

    /// Puts a held job back to `pending` at `runAt` (retry, next period, or release on shutdown).
    /// If a newer pending job with the same dedupe key was scheduled meanwhile, that one wins and this
    /// one is cancelled, keeping the one-pending-job-per-key rule.
    @discardableResult
    static func repend(
        _ sql: any SQLDatabase, _ job: ClaimedJob, worker: String, runAt: Int64, attempts: Int, lastError: String?, now: Int64
    ) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs
            SET state = CASE WHEN dedupe_key IS NOT NULL AND EXISTS (
                    SELECT 1 FROM casebook_jobs p
                    WHERE p.plugin = casebook_jobs.plugin AND p.dedupe_key = casebook_jobs.dedupe_key AND p.state = 'pending'
                ) THEN 'cancelled' ELSE 'pending' END,
                run_at = \(bind: runAt), attempts = \(bind: attempts), last_error = \(bind: lastError),
                locked_by = NULL, locked_until = NULL, updated_at = \(bind: now)
            WHERE \(held(job, worker: worker))
            RETURNING id
            """).all().isEmpty
    }

    /// The earliest time something may become claimable: a pending job's time or a lease's expiry.
    /// One statement (the runner asks after every batch).
    static func nextWake(_ sql: any SQLDatabase) async throws -> Int64? {
        let row = try await sql.raw("""
            SELECT (SELECT MIN(j.run_at) FROM casebook_jobs j WHERE j.state = 'pending' AND \(unsafeRaw: notBlocked)) AS due,
                   (SELECT MIN(locked_until) FROM casebook_jobs WHERE state = 'running') AS lease
            """).first()
        guard let row else { return nil }
        return [try row.decode(column: "due", as: Int64?.self), try row.decode(column: "lease", as: Int64?.self)].compactMap { $0 }.min()
    }

    static func cancel(_ sql: any SQLDatabase, id: Int64, now: Int64) async throws -> Bool {
        try await !sql.raw("""
            UPDATE casebook_jobs SET state = 'cancelled', updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state IN ('pending', 'dead')
            RETURNING id
            """).all().isEmpty
    }

    static func retry(_ sql: any SQLDatabase, id: Int64, now: Int64) async throws -> Bool {
        let conflict = try await sql.raw("""
            SELECT p.id FROM casebook_jobs j JOIN casebook_jobs p
              ON p.plugin = j.plugin AND p.dedupe_key = j.dedupe_key AND p.state = 'pending'
            WHERE j.id = \(bind: id)
            """).first()
        if let conflict {
            let other = try conflict.decode(column: "id", as: Int64.self)
            throw StoreError.jobConflict(id: id, reason: "job \(other) with the same dedupe key is already pending")
        }
        return try await !sql.raw("""
            UPDATE casebook_jobs SET state = 'pending', run_at = \(bind: now), attempts = 0,
                locked_by = NULL, locked_until = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'dead'
            RETURNING id
            """).all().isEmpty
    }

    private static func scheduledJob(_ row: any SQLRow) throws -> ScheduledJob {
        ScheduledJob(
            id: try row.decode(column: "id", as: Int64.self),
            plugin: try row.decode(column: "plugin", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            runAt: date(millis: try row.decode(column: "run_at", as: Int64.self)),
            dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            state: try row.decode(column: "state", as: String.self),
            lastError: try row.decode(column: "last_error", as: String?.self)
        )
    }
}
