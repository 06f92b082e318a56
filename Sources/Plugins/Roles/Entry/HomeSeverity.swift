import CasebookKit
import CasesPlugin

/// The severities the Cases plugin's Home tab shows next to its incidents.
extension RolesPlugin {
    /// Severity names by case id; an escalated case whose incident state is not written yet shows
    /// the default severity, as `roles.severity_of_case` answers.
    func homeSeverities(_ caseIDs: [String], _ context: PluginContext) async throws -> [String: String] {
        guard !caseIDs.isEmpty else { return [:] }
        let stored = try await context.storage.read { db in try await IncidentStore.severities(caseIDs: caseIDs, on: db) }
        return Dictionary(uniqueKeysWithValues: caseIDs.map { ($0, configuration.severityName(stored[$0] ?? configuration.defaultSeverity)) })
    }
}
