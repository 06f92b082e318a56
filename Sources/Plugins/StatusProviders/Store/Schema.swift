import CasebookKit

/// The plugin's tables (times in epoch milliseconds): what the watch last saw of each provider, so
/// a restart does not repost, and where each escalated case's snapshot is, to thread changes under it.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "provider states and case snapshots", [
            """
            CREATE TABLE status_providers_states (
                provider TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                seen_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE status_providers_snapshots (
                case_id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL,
                message_ts TEXT NOT NULL,
                posted_at BIGINT NOT NULL
            )
            """,
        ]),
    ]
}
