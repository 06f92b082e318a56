import CasebookKit

/// The durable jobs that complete the Slack steps of opening, escalating and closing a case, and
/// the one that archives a channel whose case was never recorded.
extension CasesPlugin {
    func registerSideEffects(_ routes: inout Routes<CasesPlugin>) {
        routes.job(Self.assembleWarRoom) { plugin, plan, context in try await plugin.assembleWarRoomJob(plan, context) }
        routes.job(Self.announceIncident) { plugin, plan, context in try await plugin.announceIncidentJob(plan, context) }
        routes.job(Self.closeWarRoom) { plugin, plan, context in try await plugin.closeWarRoomJob(plan, context) }
        routes.job(Self.reconcileChannel) { plugin, intent, context in try await plugin.reconcileChannelJob(intent, context) }
    }
}
