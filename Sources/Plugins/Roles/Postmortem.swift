import CasebookKit
import CasesPlugin
import Postmortem

/// Answers ``PostmortemSources/incidentDetails`` for the postmortem publishers (Confluence,
/// Linear): the severity with its definition, every role and its holder, and the RCA channel, in
/// this plugin's literature's words.
extension RolesPlugin {
    func incidentDetails(_ caseID: String, _ context: PluginContext) async throws -> [IncidentDetails] {
        guard let item = await CaseDirectory(context: context).case(id: caseID) else { return [] }
        let incident = try await loadIncident(caseID, context)
        let severityID = incident?.severity ?? configuration.defaultSeverity
        let severity = configuration.severities.level(severityID).map {
            PostmortemDocument.Severity(id: $0.id, name: $0.name, definition: $0.description)
        }
        let roles = configuration.roles.roles.map { role in
            IncidentDetails.Role(id: role.id, name: role.name, holder: role.isCommander ? item.commander : incident?.assignments[role.id])
        }
        let names = Dictionary(configuration.severities.levels.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        return [IncidentDetails(severity: severity, roles: roles, rcaChannel: incident?.rcaChannel, severityNames: names,
            opensRCAChannel: configuration.rcaChannel && item.wasEscalated)]
    }
}
