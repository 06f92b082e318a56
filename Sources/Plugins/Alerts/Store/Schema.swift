import CasebookKit

/// The plugin's table (times in epoch milliseconds): which case each alert group opened.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "alert groups", [
            """
            CREATE TABLE alerts_groups (
                source TEXT NOT NULL,
                group_key TEXT NOT NULL,
                case_id TEXT,
                channel_id TEXT,
                thread_ts TEXT,
                firing_count INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                claimed_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (source, group_key)
            )
            """,
        ]),
    ]
}
