import CasebookKit

/// The plugin's table (times in epoch milliseconds): one postmortem issue per case, with the id
/// chosen before Linear was first asked, so a retry can only ever create that one issue.
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "postmortem issues", [
            """
            CREATE TABLE linear_postmortems (
                case_id TEXT PRIMARY KEY,
                channel_id TEXT NOT NULL,
                issue_id TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                requested_at BIGINT NOT NULL,
                attempted_at BIGINT,
                identifier TEXT,
                url TEXT,
                created_at BIGINT,
                last_error TEXT
            )
            """,
        ]),
    ]
}
