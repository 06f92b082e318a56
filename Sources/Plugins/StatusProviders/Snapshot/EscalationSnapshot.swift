import CasebookKit
import CasesPlugin

extension StatusProvidersPlugin {
    /// An escalated case whose channel gets a snapshot.
    struct EscalationSnapshot: Codable, Sendable, Equatable {
        var caseID: String
        var channelID: String
    }

    static let escalationSnapshot = JobKey<EscalationSnapshot>("escalation_snapshot")

    /// Queues the snapshot; the escalation itself never waits on a provider.
    func escalated(_ event: CaseEscalated, _ context: PluginContext) async throws {
        guard configuration.snapshotOnEscalation else { return }
        try await context.jobs.schedule(
            Self.escalationSnapshot, EscalationSnapshot(caseID: event.case.id, channelID: event.case.channelID),
            at: context.clock.now(), dedupeKey: "escalation:\(event.case.id)")
    }

    /// Posts the providers that are not fully operational (or "All N watched providers
    /// operational") once per case, and remembers the message so watch posts thread under it.
    func escalationSnapshotJob(_ snapshot: EscalationSnapshot, _ context: PluginContext) async throws {
        let posted = try await context.storage.read { db in try await ProviderStore.snapshot(caseID: snapshot.caseID, on: db) }
        guard posted == nil else { return }
        let message = await self.snapshot(.attention, placement: .channel, context)
        let ref = try await context.slack.postMessage(channel: snapshot.channelID, message)
        let now = context.clock.now()
        try await context.storage.read { db in try await ProviderStore.recordSnapshot(caseID: snapshot.caseID, ref, at: now, on: db) }
    }
}
