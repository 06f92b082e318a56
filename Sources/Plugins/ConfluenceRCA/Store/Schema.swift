import CasebookKit

/// The plugin's table (times in epoch milliseconds): the RCA page of each case, and whether its
/// link was posted to Slack (a restart between the two posts it then).
enum Schema {
    static let migrations: [Migration] = [
        Migration(1, "rca pages", [
            """
            CREATE TABLE confluence_pages (
                case_id TEXT PRIMARY KEY,
                page_id TEXT NOT NULL,
                title TEXT NOT NULL,
                url TEXT NOT NULL,
                adopted INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                announced_at BIGINT,
                rca_channel_announced_at BIGINT
            )
            """,
        ]),
    ]
}
