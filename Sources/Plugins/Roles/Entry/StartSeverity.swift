import CasebookKit
import CasesPlugin

/// The severity of an incident started from the Cases plugin's "Start a case" modal: the levels it
/// offers, and setting the chosen one right after the escalation, as `/case severity` does.
extension RolesPlugin {
    /// What the Start modal offers (the extension point's answer).
    func startSeverityChoices(_ request: Void, _ context: PluginContext) async throws -> [SeverityChoice] { startSeverityChoices }

    var startSeverityChoices: [SeverityChoice] {
        configuration.severities.levels.map { SeverityChoice(id: $0.id, name: $0.name, isDefault: $0.id == configuration.defaultSeverity) }
    }

    func setStartSeverity(_ request: SeverityRequest, _ context: PluginContext) async -> [String] {
        guard let level = configuration.severities.level(request.severity) else {
            return ["There is no severity `\(request.severity)`; the incident is \(configuration.severityName(configuration.defaultSeverity))."]
        }
        guard let item = await CaseDirectory(context: context).case(id: request.caseID) else { return ["The case \(request.caseID) is gone."] }
        do {
            guard try await ensureIncident(item, context).severity != level.id else { return [] }
            try await changeSeverity(item, to: level, by: request.actor, context)
            return []
        } catch let error as UserFacingError {
            return [error.message]
        } catch {
            context.logger.warning("start severity not set", metadata: ["case": "\(item.id)", "error": "\(error)"])
            return ["The severity was not set (\(error)); `\(context.usage("severity"))` in the channel sets it."]
        }
    }
}
