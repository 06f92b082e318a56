import CasebookKit

/// What PagerDuty was last told about a case: `trigger` (with the severity sent) or `resolve`.
struct AlertRecord: Equatable, Sendable {
    var caseID: String
    var channelID: String
    var dedupKey: String
    /// `triggered`, `resolved`, or nil before the first event went out.
    var state: String?
    var severity: String?
    var sentAt: Date?
    var lastError: String?
}

/// A service paged into a case with `/case page`.
struct PageRecord: Equatable, Sendable {
    var serviceID: String
    var serviceName: String
    var incidentKey: String
    var incidentURL: String?
    var pagedBy: String
    var pagedAt: Date
}

/// The SQL of the plugin's tables; each function takes the handle it runs on.
enum AlertStore {
    static func find(caseID: String, on db: any SQLDatabase) async throws -> AlertRecord? {
        guard let row = try await db.raw("""
            SELECT case_id, channel_id, dedup_key, state, severity, sent_at, last_error FROM pagerduty_alerts WHERE case_id = \(bind: caseID)
            """).first()
        else { return nil }
        return AlertRecord(
            caseID: try row.decode(column: "case_id", as: String.self), channelID: try row.decode(column: "channel_id", as: String.self),
            dedupKey: try row.decode(column: "dedup_key", as: String.self), state: try row.decode(column: "state", as: String?.self),
            severity: try row.decode(column: "severity", as: String?.self),
            sentAt: try row.decode(column: "sent_at", as: Int64?.self).map { Date(timeIntervalSince1970: Double($0) / 1000) },
            lastError: try row.decode(column: "last_error", as: String?.self))
    }

    /// Creates the case's row (nothing sent yet) unless it exists.
    static func ensure(caseID: String, channelID: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO pagerduty_alerts (case_id, channel_id, dedup_key, updated_at)
            VALUES (\(bind: caseID), \(bind: channelID), \(bind: AlertEvent.dedupKey(caseID: caseID)), \(bind: millis(now)))
            ON CONFLICT (case_id) DO NOTHING
            """).run()
    }

    static func recordSent(caseID: String, state: String, severity: String?, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE pagerduty_alerts SET state = \(bind: state), severity = \(bind: severity), sent_at = \(bind: millis(now)),
                last_error = NULL, updated_at = \(bind: millis(now))
            WHERE case_id = \(bind: caseID)
            """).run()
    }

    static func recordError(caseID: String, error: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE pagerduty_alerts SET last_error = \(bind: String(error.prefix(500))), updated_at = \(bind: millis(now)) WHERE case_id = \(bind: caseID)
            """).run()
    }

    static func page(caseID: String, serviceID: String, on db: any SQLDatabase) async throws -> PageRecord? {
        try await db.raw("""
            SELECT service_id, service_name, incident_key, incident_url, paged_by, paged_at FROM pagerduty_pages
            WHERE case_id = \(bind: caseID) AND service_id = \(bind: serviceID)
            """).first().map(decodePage)
    }

    static func pages(caseID: String, on db: any SQLDatabase) async throws -> [PageRecord] {
        try await db.raw("""
            SELECT service_id, service_name, incident_key, incident_url, paged_by, paged_at FROM pagerduty_pages
            WHERE case_id = \(bind: caseID) ORDER BY paged_at
            """).all().map(decodePage)
    }

    static func recordPage(caseID: String, _ page: PageRecord, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO pagerduty_pages (case_id, service_id, service_name, incident_key, incident_url, paged_by, paged_at)
            VALUES (\(bind: caseID), \(bind: page.serviceID), \(bind: page.serviceName), \(bind: page.incidentKey), \(bind: page.incidentURL),
                    \(bind: page.pagedBy), \(bind: millis(page.pagedAt)))
            ON CONFLICT (case_id, service_id) DO UPDATE SET incident_url = excluded.incident_url
            """).run()
    }

    private static func decodePage(_ row: any SQLRow) throws -> PageRecord {
        PageRecord(
            serviceID: try row.decode(column: "service_id", as: String.self), serviceName: try row.decode(column: "service_name", as: String.self),
            incidentKey: try row.decode(column: "incident_key", as: String.self), incidentURL: try row.decode(column: "incident_url", as: String?.self),
            pagedBy: try row.decode(column: "paged_by", as: String.self),
            pagedAt: Date(timeIntervalSince1970: Double(try row.decode(column: "paged_at", as: Int64.self)) / 1000))
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
