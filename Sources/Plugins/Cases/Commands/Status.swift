import CasebookKit

/// `/case status` in a case channel: the case at a glance, the latest timeline entries, and lines
/// contributed by other plugins (``CasesPlugin/statusLines``).
extension CasesPlugin {
    func status(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context, readOnly: true)
        async let timeline = context.audit.entries(subject: item.id)
        async let contributed = context.extensions.collect(Self.statusLines, item, logger: context.logger)
        async let dead = context.jobs.deadJobs(mentioning: item.id, limit: StatusMessage.deadJobsShown)
        let entries = (try? await timeline) ?? []
        return .ephemeral(StatusMessage.make(
            item, timeline: entries, contributed: await contributed.flatMap { $0 }, deadJobs: try await dead, now: context.clock.now()))
    }
}
