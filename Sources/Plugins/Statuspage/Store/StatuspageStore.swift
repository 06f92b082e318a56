import CasebookKit

/// Where a draft's message is.
struct DraftRecord: Equatable, Sendable {
    var approvalID: String
    var caseID: String
    var channelID: String
    var messageTS: String?
}

/// A case's Statuspage incident, as last published.
struct IncidentRecord: Equatable, Sendable {
    var caseID: String
    var incident: PublishedIncident
    var publishedAt: Date
    var approvedBy: String?
    /// The draft that was published last (its components are what a resolution puts back).
    var draft: Draft
}

/// The SQL of the plugin's tables; each function takes the handle it runs on.
enum StatuspageStore {
    static func insertDraft(_ draft: DraftRecord, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO statuspage_drafts (approval_id, case_id, channel_id, message_ts, created_at)
            VALUES (\(bind: draft.approvalID), \(bind: draft.caseID), \(bind: draft.channelID), \(bind: draft.messageTS), \(bind: millis(now)))
            ON CONFLICT (approval_id) DO UPDATE SET message_ts = excluded.message_ts
            """).run()
    }

    static func draft(approvalID: String, on db: any SQLDatabase) async throws -> DraftRecord? {
        try await db.raw("SELECT approval_id, case_id, channel_id, message_ts FROM statuspage_drafts WHERE approval_id = \(bind: approvalID)")
            .first().map { row in
                DraftRecord(
                    approvalID: try row.decode(column: "approval_id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
                    channelID: try row.decode(column: "channel_id", as: String.self), messageTS: try row.decode(column: "message_ts", as: String?.self))
            }
    }

    static func incident(caseID: String, on db: any SQLDatabase) async throws -> IncidentRecord? {
        try await db.raw("""
            SELECT case_id, incident_id, name, status, shortlink, published_at, approved_by, draft FROM statuspage_incidents WHERE case_id = \(bind: caseID)
            """).first().map { row in
                IncidentRecord(
                    caseID: try row.decode(column: "case_id", as: String.self),
                    incident: PublishedIncident(
                        id: try row.decode(column: "incident_id", as: String.self), name: try row.decode(column: "name", as: String.self),
                        status: try row.decode(column: "status", as: String.self), shortlink: try row.decode(column: "shortlink", as: String?.self)),
                    publishedAt: date(try row.decode(column: "published_at", as: Int64.self)),
                    approvedBy: try row.decode(column: "approved_by", as: String?.self),
                    draft: try JSONValue.decode(try row.decode(column: "draft", as: String.self)).decode(as: Draft.self))
            }
    }

    static func recordIncident(_ record: IncidentRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO statuspage_incidents (case_id, incident_id, name, status, shortlink, published_at, approved_by, draft)
            VALUES (\(bind: record.caseID), \(bind: record.incident.id), \(bind: record.incident.name), \(bind: record.incident.status),
                    \(bind: record.incident.shortlink), \(bind: millis(record.publishedAt)), \(bind: record.approvedBy),
                    \(bind: try record.draft.payload.encoded()))
            ON CONFLICT (case_id) DO UPDATE SET incident_id = excluded.incident_id, name = excluded.name, status = excluded.status,
                shortlink = excluded.shortlink, published_at = excluded.published_at, approved_by = excluded.approved_by,
                draft = excluded.draft
            """).run()
    }

    /// Replaces the remembered component list with what Statuspage just listed.
    static func replaceComponents(_ components: [StatuspageAPI.Component], at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM statuspage_components").run()
        for (position, component) in components.enumerated() {
            try await db.raw("""
                INSERT INTO statuspage_components (id, name, status, position, fetched_at)
                VALUES (\(bind: component.id), \(bind: component.name), \(bind: component.status), \(bind: position), \(bind: millis(now)))
                """).run()
        }
    }

    static func components(on db: any SQLDatabase) async throws -> [StatuspageAPI.Component] {
        try await db.raw("SELECT id, name, status FROM statuspage_components ORDER BY position").all().map { row in
            StatuspageAPI.Component(
                id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                status: try row.decode(column: "status", as: String.self))
        }
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
