import CasebookKit

/// The plugin's tables. Portable SQL for SQLite and PostgreSQL: times are epoch milliseconds in
/// BIGINT columns so durations are plain subtraction inside SQL aggregates on both databases.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "cases, evidence and participants", [
            """
            CREATE TABLE cases_cases (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                status TEXT NOT NULL,
                channel_id TEXT NOT NULL UNIQUE,
                opened_by TEXT NOT NULL,
                opened_at BIGINT NOT NULL,
                escalated_by TEXT,
                escalated_at BIGINT,
                commander TEXT,
                resolved_by TEXT,
                resolved_at BIGINT,
                closed_by TEXT,
                closed_at BIGINT,
                evidence_count INTEGER NOT NULL DEFAULT 0,
                summary_channel TEXT,
                summary_ts TEXT,
                notification_channel TEXT,
                notification_ts TEXT
            )
            """,
            // /case list and the evidence modal read active cases newest first; stats count by status.
            "CREATE INDEX cases_cases_status_opened ON cases_cases (status, opened_at)",
            // Export pages through every case in (opened_at, id) order; stats filter the last 7 days.
            "CREATE INDEX cases_cases_opened ON cases_cases (opened_at, id)",
            "CREATE INDEX cases_cases_escalated ON cases_cases (escalated_at)",
            """
            CREATE TABLE cases_evidence (
                id TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases_cases (id),
                permalink TEXT NOT NULL,
                source_channel TEXT NOT NULL,
                message_ts TEXT NOT NULL,
                collected_by TEXT NOT NULL,
                collected_at BIGINT NOT NULL,
                UNIQUE (case_id, source_channel, message_ts)
            )
            """,
            // Who took part in a case (opened, escalated, commanded, collected, was invited or
            // joined), so the evidence modal can preselect the user's own case without a Slack call
            // per active case.
            """
            CREATE TABLE cases_participants (
                case_id TEXT NOT NULL REFERENCES cases_cases (id),
                user_id TEXT NOT NULL,
                joined_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, user_id)
            )
            """,
            "CREATE INDEX cases_participants_user ON cases_participants (user_id)",
        ]),
        // The key another plugin opened a case under (an alert group), so a retried open after a
        // crash finds the case instead of opening a second one.
        Migration(2, "external keys", [
            """
            CREATE TABLE cases_external_keys (
                external_key TEXT PRIMARY KEY,
                case_id TEXT NOT NULL REFERENCES cases_cases (id)
            )
            """,
        ]),
        // The Slack steps that follow a committed change (invitations, topic, summary, notification,
        // announcements, archive), each recorded once done with the message it posted, so the
        // durable job that completes them after a crash or a failure skips what is already done.
        Migration(3, "side effects done after a change", [
            """
            CREATE TABLE cases_side_effects (
                case_id TEXT NOT NULL REFERENCES cases_cases (id),
                step TEXT NOT NULL,
                channel TEXT,
                ts TEXT,
                done_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, step)
            )
            """,
        ]),
        // Who reacted to a message with `react_to_open`'s emoji, and whether they were told where
        // its case is: the open job answers everyone in the table, however many reacted at once.
        Migration(4, "reactions that open cases", [
            """
            CREATE TABLE cases_reactions (
                channel_id TEXT NOT NULL,
                message_ts TEXT NOT NULL,
                user_id TEXT NOT NULL,
                reacted_at BIGINT NOT NULL,
                answered_at BIGINT,
                PRIMARY KEY (channel_id, message_ts, user_id)
            )
            """,
        ]),
        // Who opened the Home tab (`home_tab: true`) and when: a case change republishes it for them.
        Migration(5, "home tab viewers", [
            """
            CREATE TABLE cases_home_viewers (
                user_id TEXT PRIMARY KEY,
                opened_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX cases_home_viewers_opened ON cases_home_viewers (opened_at)",
        ]),
        // Private cases (`/case open --private`): 1 when the channel is private.
        Migration(6, "private cases", [
            "ALTER TABLE cases_cases ADD COLUMN is_private INTEGER NOT NULL DEFAULT 0",
        ]),
    ]
}
