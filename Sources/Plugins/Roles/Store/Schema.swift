import CasebookKit

/// The plugin's tables; times are epoch milliseconds (BIGINT) as in the Cases plugin.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "incidents and role assignments", [
            """
            CREATE TABLE roles_incidents (
                case_id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL,
                severity TEXT NOT NULL,
                status TEXT NOT NULL,
                panel_channel TEXT,
                panel_ts TEXT,
                digest_channel TEXT,
                digest_ts TEXT,
                created_at BIGINT NOT NULL,
                last_update_by TEXT,
                last_update_at BIGINT,
                last_update_impact TEXT,
                last_update_components TEXT,
                last_update_text TEXT,
                silenced INTEGER NOT NULL DEFAULT 0,
                silenced_until BIGINT,
                next_reminder_at BIGINT,
                rca_channel TEXT
            )
            """,
            "CREATE INDEX roles_incidents_channel ON roles_incidents (channel_id)",
            """
            CREATE TABLE roles_assignments (
                case_id TEXT NOT NULL REFERENCES roles_incidents (case_id),
                role TEXT NOT NULL,
                user_id TEXT NOT NULL,
                assigned_by TEXT NOT NULL,
                assigned_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, role)
            )
            """,
        ]),
        Migration(2, "the war-room checklist", [
            """
            CREATE TABLE roles_checklists (
                case_id TEXT PRIMARY KEY,
                message_channel TEXT NOT NULL,
                message_ts TEXT NOT NULL,
                posted_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE roles_checklist_ticks (
                case_id TEXT NOT NULL,
                item_key TEXT NOT NULL,
                item_text TEXT NOT NULL,
                ticked_by TEXT NOT NULL,
                ticked_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, item_key)
            )
            """,
        ]),
    ]
}
