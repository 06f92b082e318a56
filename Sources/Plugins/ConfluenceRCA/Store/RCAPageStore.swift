import CasebookKit

/// The RCA page recorded for a case.
struct RCAPage: Sendable, Equatable {
    var caseID: String
    var pageID: String
    var title: String
    var url: String
    /// Found in Confluence by its title rather than created by this call (an earlier attempt's
    /// answer was lost, or someone made it by hand).
    var adopted: Bool
    var createdAt: Date
    var announcedAt: Date?
    var rcaChannelAnnouncedAt: Date?
}

/// The SQL of `confluence_pages`; each function takes the handle it runs on (a read or `tx.sql`).
enum RCAPageStore {
    static func find(caseID: String, on db: any SQLDatabase) async throws -> RCAPage? {
        try await db.raw("""
            SELECT case_id, page_id, title, url, adopted, created_at, announced_at, rca_channel_announced_at
            FROM confluence_pages WHERE case_id = \(bind: caseID)
            """).first().map { row in
            RCAPage(
                caseID: try row.decode(column: "case_id", as: String.self), pageID: try row.decode(column: "page_id", as: String.self),
                title: try row.decode(column: "title", as: String.self), url: try row.decode(column: "url", as: String.self),
                adopted: try row.decode(column: "adopted", as: Int64.self) != 0,
                createdAt: date(try row.decode(column: "created_at", as: Int64.self)),
                announcedAt: try row.decode(column: "announced_at", as: Int64?.self).map(date),
                rcaChannelAnnouncedAt: try row.decode(column: "rca_channel_announced_at", as: Int64?.self).map(date))
        }
    }

    /// Records the page unless one is recorded; returns whether this call recorded it.
    static func insertIfAbsent(_ page: RCAPage, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO confluence_pages (case_id, page_id, title, url, adopted, created_at)
            VALUES (\(bind: page.caseID), \(bind: page.pageID), \(bind: page.title), \(bind: page.url), \(bind: page.adopted ? 1 : 0),
                    \(bind: millis(page.createdAt)))
            ON CONFLICT (case_id) DO NOTHING
            RETURNING case_id
            """).all().isEmpty
    }

    /// Marks the case channel's link as posted; false when it already was.
    static func markAnnounced(caseID: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE confluence_pages SET announced_at = \(bind: millis(now))
            WHERE case_id = \(bind: caseID) AND announced_at IS NULL RETURNING case_id
            """).all().isEmpty
    }

    /// Marks the RCA channel's link as posted; false when it already was.
    static func markRCAChannelAnnounced(caseID: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE confluence_pages SET rca_channel_announced_at = \(bind: millis(now))
            WHERE case_id = \(bind: caseID) AND rca_channel_announced_at IS NULL RETURNING case_id
            """).all().isEmpty
    }
}

func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
