import CasebookKit

/// The case lifecycle on `/metrics`: a counter per transition by what triggered it, the times
/// between transitions, and the open cases counted from storage at scrape time.
///
/// Transitions are recorded after their transaction committed and only by the caller that won the
/// conditional update, so a retried or raced change is counted once.
extension CasesPlugin {
    static func recordTransition(_ transition: CaseTransition, _ item: Case, source: TriggerSource, _ context: PluginContext) {
        context.metrics.cases(transition, source: source)
        context.logger.info("case \(transition.rawValue)", metadata: ["case": "\(item.id)", "source": "\(source.rawValue)"])
        switch transition {
        case .opened:
            break
        case .escalated:
            if let escalatedAt = item.escalatedAt {
                context.metrics.caseTime(.toEscalate, seconds: escalatedAt.timeIntervalSince(item.openedAt))
            }
        case .resolved:
            if let timeToResolve = item.timeToResolve { context.metrics.caseTime(.toResolve, seconds: timeToResolve) }
        case .closed:
            if let closedAt = item.closedAt { context.metrics.caseTime(.toClose, seconds: closedAt.timeIntervalSince(item.openedAt)) }
        }
    }

    /// `casebook_open_cases{kind}`: `investigation` (never escalated) and `incident` (escalated or
    /// resolved, channel still open), both always reported so a dashboard shows 0.
    func registerGauges(_ routes: inout Routes<CasesPlugin>) {
        routes.contribute(to: Observability.gauges, use: CasesPlugin.openCaseGauges)
    }

    func openCaseGauges(_ query: GaugeQuery, _ context: PluginContext) async throws -> [GaugeReading] {
        let counts = try await context.storage.read { db in try await CaseStore.countOpenByStatus(on: db) }
        let investigations = counts[.investigating] ?? 0
        let incidents = (counts[.escalated] ?? 0) + (counts[.resolved] ?? 0)
        return [
            GaugeReading(.openCases, "investigation", Double(investigations)),
            GaugeReading(.openCases, "incident", Double(incidents)),
        ]
    }
}

extension CaseStore {
    /// Cases that are not closed, by status (one indexed scan).
    static func countOpenByStatus(on db: any SQLDatabase) async throws -> [Case.Status: Int] {
        let rows = try await db.raw("""
            SELECT status, CAST(COUNT(*) AS BIGINT) AS n FROM cases_cases WHERE status <> 'closed' GROUP BY status
            """).all()
        var counts: [Case.Status: Int] = [:]
        for row in rows {
            guard let status = Case.Status(rawValue: try row.decode(column: "status", as: String.self)) else { continue }
            counts[status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
