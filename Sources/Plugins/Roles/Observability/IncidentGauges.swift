import CasebookKit
import CasesPlugin

/// `casebook_open_incidents{severity}` at scrape time: the Cases plugin's escalated, unresolved
/// cases, each at this plugin's stored severity (the default until its escalation event has been
/// handled). Every configured severity is reported, so a dashboard shows 0 rather than nothing;
/// the label values are the configured ids, a bounded set.
extension RolesPlugin {
    func registerGauges(_ routes: inout Routes<RolesPlugin>) {
        routes.contribute(to: Observability.gauges, use: RolesPlugin.openIncidentGauges)
    }

    func openIncidentGauges(_ query: GaugeQuery, _ context: PluginContext) async throws -> [GaugeReading] {
        let incidents = await CaseDirectory(context: context).activeCases(limit: 1_000).filter { $0.status == .escalated }
        let stored = try await context.storage.read { db in try await IncidentStore.unresolvedSeverities(on: db) }
        var counts = Dictionary(uniqueKeysWithValues: configuration.severities.levels.map { ($0.id, 0) })
        for item in incidents { counts[stored[item.id] ?? configuration.defaultSeverity, default: 0] += 1 }
        return counts.map { GaugeReading(.openIncidents, $0.key, Double($0.value)) }
    }
}

extension IncidentStore {
    /// Case id → severity of the incidents not marked resolved.
    static func unresolvedSeverities(on db: any SQLDatabase) async throws -> [String: String] {
        let rows = try await db.raw("SELECT case_id, severity FROM roles_incidents WHERE status <> 'resolved'").all()
        var severities: [String: String] = [:]
        for row in rows { severities[try row.decode(column: "case_id", as: String.self)] = try row.decode(column: "severity", as: String.self) }
        return severities
    }
}
