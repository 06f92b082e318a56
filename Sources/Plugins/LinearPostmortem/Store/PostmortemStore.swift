import CasebookKit

/// A case's postmortem issue: requested (its id chosen), attempted, created.
struct PostmortemRecord: Equatable, Sendable {
    var caseID: String
    var channelID: String
    /// The client-chosen UUID v4 sent as `input.id`.
    var issueID: String
    var requestedBy: String
    var requestedAt: Date
    /// When Linear was last asked to create it; set before the call, so a retry knows to look first.
    var attemptedAt: Date?
    var identifier: String?
    var url: String?
    var createdAt: Date?
    var lastError: String?

    var isCreated: Bool { identifier != nil && url != nil }
}

/// The SQL of the plugin's table; each function takes the handle it runs on.
enum PostmortemStore {
    static let columns = "case_id, channel_id, issue_id, requested_by, requested_at, attempted_at, identifier, url, created_at, last_error"

    static func find(caseID: String, on db: any SQLDatabase) async throws -> PostmortemRecord? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM linear_postmortems WHERE case_id = \(bind: caseID)").first().map(decode)
    }

    /// Records the request with a fresh issue id unless the case has one; returns the case's record.
    static func request(
        caseID: String, channelID: String, by user: String, issueID: String, at now: Date, on db: any SQLDatabase
    ) async throws -> PostmortemRecord? {
        try await db.raw("""
            INSERT INTO linear_postmortems (case_id, channel_id, issue_id, requested_by, requested_at)
            VALUES (\(bind: caseID), \(bind: channelID), \(bind: issueID), \(bind: user), \(bind: millis(now)))
            ON CONFLICT (case_id) DO NOTHING
            """).run()
        return try await find(caseID: caseID, on: db)
    }

    static func recordAttempt(caseID: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE linear_postmortems SET attempted_at = \(bind: millis(now)) WHERE case_id = \(bind: caseID)").run()
    }

    static func recordCreated(caseID: String, identifier: String, url: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE linear_postmortems SET identifier = \(bind: identifier), url = \(bind: url), created_at = \(bind: millis(now)), last_error = NULL
            WHERE case_id = \(bind: caseID)
            """).run()
    }

    static func recordError(caseID: String, error: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE linear_postmortems SET last_error = \(bind: String(error.prefix(500))) WHERE case_id = \(bind: caseID)").run()
    }

    private static func decode(_ row: any SQLRow) throws -> PostmortemRecord {
        PostmortemRecord(
            caseID: try row.decode(column: "case_id", as: String.self), channelID: try row.decode(column: "channel_id", as: String.self),
            issueID: try row.decode(column: "issue_id", as: String.self), requestedBy: try row.decode(column: "requested_by", as: String.self),
            requestedAt: date(try row.decode(column: "requested_at", as: Int64.self)),
            attemptedAt: try row.decode(column: "attempted_at", as: Int64?.self).map(date),
            identifier: try row.decode(column: "identifier", as: String?.self), url: try row.decode(column: "url", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64?.self).map(date),
            lastError: try row.decode(column: "last_error", as: String?.self))
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
