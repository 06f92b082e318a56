import CasebookKit
import CasesPlugin

extension LinearPostmortemPlugin {
    /// With `on_resolve` (the default), resolving an incident asks for its postmortem issue. The
    /// event comes at least once; the request is once per case, so a redelivery adds nothing.
    func resolved(_ event: CaseResolved, _ context: PluginContext) async throws {
        guard configuration.onResolve else { return }
        _ = try await requestIssue(caseID: event.case.id, channelID: event.case.channelID, by: event.actor, context)
    }
}
