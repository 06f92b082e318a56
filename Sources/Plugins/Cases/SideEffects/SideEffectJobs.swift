import CasebookKit

/// The durable jobs that complete the Slack steps of opening, escalating and closing a case, and
/// the one that archives a channel whose case was never recorded.
extension CasesPlugin {
    func registerSideEffects(_ routes: inout Routes<CasesPlugin>) {
        routes.job(Self.assembleWarRoom, use: CasesPlugin.assembleWarRoomJob)
        routes.job(Self.announceIncident, use: CasesPlugin.announceIncidentJob)
        routes.job(Self.closeWarRoom, use: CasesPlugin.closeWarRoomJob)
        routes.job(Self.reconcileChannel, use: CasesPlugin.reconcileChannelJob)
    }
}
