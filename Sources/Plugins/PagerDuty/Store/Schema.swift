import CasebookKit

/// The plugin's tables (times in epoch milliseconds): what PagerDuty was last told about each
/// case's alert, and who was paged into which case.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "alerts and pages", [
            """
            CREATE TABLE pagerduty_alerts (
                case_id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL,
                dedup_key TEXT NOT NULL,
                state TEXT,
                severity TEXT,
                sent_at BIGINT,
                last_error TEXT,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE pagerduty_pages (
                case_id TEXT NOT NULL,
                service_id TEXT NOT NULL,
                service_name TEXT NOT NULL,
                incident_key TEXT NOT NULL,
                incident_id TEXT,
                incident_url TEXT,
                paged_by TEXT NOT NULL,
                paged_at BIGINT NOT NULL,
                PRIMARY KEY (case_id, service_id)
            )
            """,
        ]),
    ]
}
