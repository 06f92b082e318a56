import CasebookKit

/// `/case list`: active investigations and incidents, newest first (ephemeral). Private cases count
/// and are listed, but with their title and channel only for the people in their channel.
extension CasesPlugin {
    static let listLimit = 45

    func list(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let (cases, total) = try await context.storage.read { db in try await CaseStore.activeWithTotal(limit: Self.listLimit, on: db) }
        let hidden = await casesHidden(cases, from: command.userID, context)
        return .ephemeral(ListMessage.make(cases, total: total, now: context.clock.now(), hidden: hidden))
    }
}
