import CasebookKit

/// The plugin's tables (times in epoch milliseconds). The drafts themselves are approvals in the
/// kit's gate; these remember where each draft's message is, which Statuspage incident belongs to
/// which case, and the page's components as last listed (names for draft messages).
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "drafts, incidents and components", [
            """
            CREATE TABLE statuspage_drafts (
                approval_id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL,
                channel_id TEXT NOT NULL,
                message_ts TEXT,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX statuspage_drafts_case ON statuspage_drafts (case_id)",
            """
            CREATE TABLE statuspage_incidents (
                case_id TEXT PRIMARY KEY,
                incident_id TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                shortlink TEXT,
                published_at BIGINT NOT NULL,
                approved_by TEXT,
                draft TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE statuspage_components (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                position INTEGER NOT NULL,
                fetched_at BIGINT NOT NULL
            )
            """,
        ]),
    ]
}
