import CasebookKit

/// The host's own tables, applied as the migration set of plugin `casebook` before any plugin's.
/// Times are milliseconds since 1970 in BIGINT columns: portable, exact, and hashable for the audit chain.
enum HostSchema {
    static let plugin = "casebook"

    static func migrations(dialect: String) -> [Migration] {
        let serialKey = dialect == "postgresql" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
        return [
            Migration(1, "jobs, audit timeline, envelope dedupe", [
                """
                CREATE TABLE casebook_jobs (
                    id \(serialKey),
                    plugin TEXT NOT NULL,
                    name TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    run_at BIGINT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    max_attempts INTEGER,
                    dedupe_key TEXT,
                    state TEXT NOT NULL,
                    locked_by TEXT,
                    locked_until BIGINT,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                // One pending job per (plugin, dedupe key); running/done/dead rows may share the key.
                "CREATE UNIQUE INDEX casebook_jobs_pending_key ON casebook_jobs (plugin, dedupe_key) WHERE state = 'pending'",
                "CREATE INDEX casebook_jobs_due ON casebook_jobs (state, run_at)",
                "CREATE INDEX casebook_jobs_lease ON casebook_jobs (state, locked_until)",
                """
                CREATE TABLE casebook_audit (
                    sequence BIGINT PRIMARY KEY,
                    plugin TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    details TEXT NOT NULL,
                    at BIGINT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                )
                """,
                "CREATE INDEX casebook_audit_subject ON casebook_audit (subject, sequence)",
                // The chain head: the lock that keeps appends linear, and the witness of a deleted tail.
                "CREATE TABLE casebook_audit_head (id INTEGER PRIMARY KEY, sequence BIGINT NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO casebook_audit_head (id, sequence, hash) VALUES (1, 0, '')",
                "CREATE TABLE casebook_envelopes (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
                "CREATE INDEX casebook_envelopes_expiry ON casebook_envelopes (expires_at)",
            ]),
            Migration(2, "webhook deliveries, approvals", [
                // "Seen this delivery before?" per plugin (webhook ids, alert group events).
                "CREATE TABLE casebook_deliveries (plugin TEXT NOT NULL, key TEXT NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (plugin, key))",
                "CREATE INDEX casebook_deliveries_seen ON casebook_deliveries (seen_at)",
                """
                CREATE TABLE casebook_approvals (
                    id TEXT PRIMARY KEY,
                    plugin TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    approvers TEXT NOT NULL,
                    state TEXT NOT NULL,
                    proposed_by TEXT NOT NULL,
                    decided_by TEXT,
                    decided_at BIGINT,
                    executed_at BIGINT,
                    result TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX casebook_approvals_subject ON casebook_approvals (plugin, subject, state)",
            ]),
            // The W3C `traceparent` a job was queued under, so it continues its cause's trace. A
            // nullable column: a replica of the previous version keeps inserting without it.
            Migration(3, "job trace context", ["ALTER TABLE casebook_jobs ADD COLUMN trace TEXT"]),
            Migration(4, "lease generations, shared rate limit", [
                // Fencing token of a job's lease: bumped by every claim, checked by renew and settle.
                "ALTER TABLE casebook_jobs ADD COLUMN lease_generation BIGINT NOT NULL DEFAULT 0",
                // Each user's invocations inside the rate-limit window, shared by every replica.
                "CREATE TABLE casebook_rate_hits (user_id TEXT NOT NULL, at BIGINT NOT NULL)",
                "CREATE INDEX casebook_rate_hits_user ON casebook_rate_hits (user_id, at)",
            ]),
        ]
    }

    /// Created before any migration runs, since it records them.
    static let migrationsTable = """
        CREATE TABLE IF NOT EXISTS casebook_migrations (
            plugin TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            checksum TEXT NOT NULL,
            applied_at BIGINT NOT NULL,
            PRIMARY KEY (plugin, version)
        )
        """
}
