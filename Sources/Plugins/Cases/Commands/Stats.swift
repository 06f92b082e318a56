import CasebookKit

/// `/case stats`: the operational dashboard, from one aggregate query.
extension CasesPlugin {
    func stats(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let now = context.clock.now()
        let stats = try await context.storage.read { db in try await CaseStore.stats(now: now, on: db) }
        return .ephemeral(StatsMessage.make(stats))
    }
}
