import CasebookKit

/// `/case status` in a case channel: the case at a glance, the latest timeline entries, and lines
/// contributed by other plugins (``CasesPlugin/statusLines``).
extension CasesPlugin {
    func status(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context, readOnly: true)
        async let contributed = context.extensions.collect(Self.statusLines, item, logger: context.logger)
        // The timeline and the dead jobs are read in one session: one trip to the database's
        // thread instead of one each (this runs on every ack of `/case status`).
        let (entries, dead) = try await context.storage.read { _ in
            ((try? await context.audit.entries(subject: item.id)) ?? [],
             try await context.jobs.deadJobs(mentioning: item.id, limit: StatusMessage.deadJobsShown))
        }
        return .ephemeral(StatusMessage.make(
            item, timeline: entries, contributed: await contributed.flatMap { $0 }, deadJobs: dead, now: context.clock.now()))
    }
}
