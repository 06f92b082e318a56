import CasebookKit

/// The operational dashboard of `/case stats`, computed by one aggregate query over the cases table.
public struct CaseStats: Sendable, Equatable {
    public var totalCases: Int
    public var openInvestigations: Int
    /// Escalated and not yet resolved.
    public var openIncidents: Int
    public var everEscalated: Int
    public var openedLastWeek: Int
    public var escalatedLastWeek: Int
    /// Open time of all cases inside the last 7 days (a case open for the whole week counts 7 days).
    public var timeSpentLastWeek: TimeInterval
    /// Average open → close of closed cases; nil when none is closed.
    public var averageTimeToClose: TimeInterval?
    /// Mean time to resolve: average escalation → resolution; nil when no incident is resolved.
    public var meanTimeToResolve: TimeInterval?

    public init(
        totalCases: Int, openInvestigations: Int, openIncidents: Int, everEscalated: Int, openedLastWeek: Int,
        escalatedLastWeek: Int, timeSpentLastWeek: TimeInterval, averageTimeToClose: TimeInterval?, meanTimeToResolve: TimeInterval?
    ) {
        self.totalCases = totalCases
        self.openInvestigations = openInvestigations
        self.openIncidents = openIncidents
        self.everEscalated = everEscalated
        self.openedLastWeek = openedLastWeek
        self.escalatedLastWeek = escalatedLastWeek
        self.timeSpentLastWeek = timeSpentLastWeek
        self.averageTimeToClose = averageTimeToClose
        self.meanTimeToResolve = meanTimeToResolve
    }

    /// Share of all cases that became incidents, 0…1; nil with no cases.
    public var escalationRate: Double? {
        totalCases == 0 ? nil : Double(everEscalated) / Double(totalCases)
    }

    public static let window: TimeInterval = 7 * 86_400
}

extension CaseStore {
    /// One pass of conditional aggregates: no rows are sent to the app, whatever the table size.
    /// Sums and counts are cast to BIGINT and averages to DOUBLE PRECISION so both databases return
    /// the same types (PostgreSQL would answer NUMERIC).
    static func stats(now: Date, on db: any SQLDatabase) async throws -> CaseStats {
        let nowMillis = millis(now)
        let since = millis(now.addingTimeInterval(-CaseStats.window))
        let row = try await db.raw("""
            SELECT
              CAST(COUNT(*) AS BIGINT) AS total,
              CAST(COALESCE(SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END), 0) AS BIGINT) AS open_cases,
              CAST(COALESCE(SUM(CASE WHEN status = 'escalated' THEN 1 ELSE 0 END), 0) AS BIGINT) AS open_incidents,
              CAST(COALESCE(SUM(CASE WHEN escalated_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS ever_escalated,
              CAST(COALESCE(SUM(CASE WHEN opened_at >= \(bind: since) THEN 1 ELSE 0 END), 0) AS BIGINT) AS opened_week,
              CAST(COALESCE(SUM(CASE WHEN escalated_at >= \(bind: since) THEN 1 ELSE 0 END), 0) AS BIGINT) AS escalated_week,
              CAST(COALESCE(SUM(CASE WHEN COALESCE(closed_at, \(bind: nowMillis)) > \(bind: since)
                  THEN COALESCE(closed_at, \(bind: nowMillis)) - CASE WHEN opened_at > \(bind: since) THEN opened_at ELSE \(bind: since) END
                  ELSE 0 END), 0) AS BIGINT) AS spent_week_ms,
              CAST(AVG(CASE WHEN closed_at IS NOT NULL THEN closed_at - opened_at END) AS DOUBLE PRECISION) AS close_ms,
              CAST(AVG(CASE WHEN resolved_at IS NOT NULL AND escalated_at IS NOT NULL THEN resolved_at - escalated_at END)
                  AS DOUBLE PRECISION) AS resolve_ms
            FROM cases_cases
            """).first()
        guard let row else {
            return CaseStats(
                totalCases: 0, openInvestigations: 0, openIncidents: 0, everEscalated: 0, openedLastWeek: 0,
                escalatedLastWeek: 0, timeSpentLastWeek: 0, averageTimeToClose: nil, meanTimeToResolve: nil)
        }
        func count(_ column: String) throws -> Int { Int(try row.decode(column: column, as: Int64?.self) ?? 0) }
        return CaseStats(
            totalCases: try count("total"), openInvestigations: try count("open_cases"),
            openIncidents: try count("open_incidents"), everEscalated: try count("ever_escalated"),
            openedLastWeek: try count("opened_week"), escalatedLastWeek: try count("escalated_week"),
            timeSpentLastWeek: TimeInterval(try count("spent_week_ms")) / 1000,
            averageTimeToClose: try row.decode(column: "close_ms", as: Double?.self).map { $0 / 1000 },
            meanTimeToResolve: try row.decode(column: "resolve_ms", as: Double?.self).map { $0 / 1000 })
    }
}
