import CasebookKit
import CasesPlugin

/// The severities the Cases plugin's Home tab shows next to its incidents, kept current: a
/// severity change asks the Cases plugin for its (debounced, durable) Home refresh.
extension RolesPlugin {
    func registerHomeSeverities(_ routes: inout Routes<RolesPlugin>) {
        routes.contribute(to: CasesPlugin.caseSeverities, use: RolesPlugin.homeSeverities)
        routes.subscribe(SeverityChanged.self, use: RolesPlugin.severityShownOnHome)
    }

    /// Severity names by case id; an escalated case whose incident state is not written yet shows
    /// the default severity, as `roles.severity_of_case` answers.
    func homeSeverities(_ caseIDs: [String], _ context: PluginContext) async throws -> [String: String] {
        guard !caseIDs.isEmpty else { return [:] }
        let stored = try await context.storage.read { db in try await IncidentStore.severities(caseIDs: caseIDs, on: db) }
        return Dictionary(uniqueKeysWithValues: caseIDs.map { ($0, configuration.severityName(stored[$0] ?? configuration.defaultSeverity)) })
    }

    /// Nothing happens unless the Cases plugin has its Home tab on; a failure retries this delivery.
    func severityShownOnHome(_ event: SeverityChanged, _ context: PluginContext) async throws {
        let problems = await context.extensions.collect(CasesPlugin.homeChanged, event.caseID, logger: context.logger).flatMap { $0 }
        if !problems.isEmpty { throw UserFacingError(problems.joined(separator: " ")) }
    }
}
