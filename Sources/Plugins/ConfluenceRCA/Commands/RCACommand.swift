import CasebookKit
import CasesPlugin

extension ConfluenceRCAPlugin {
    /// `/case rca` in a case channel, at any time: the recorded page's link, or the page call queued.
    func rcaCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        guard command.arguments.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UserFacingError("Usage: `\(context.usage("rca"))` in a case channel (it takes no arguments).")
        }
        guard let item = await CaseDirectory(context: context).case(inChannel: command.channelID) else {
            throw UserFacingError("Run `\(context.usage("rca"))` inside a case channel. `\(context.usage("list"))` shows the active ones.")
        }
        let caseID = item.id
        if let page = try await context.storage.read({ db in try await RCAPageStore.find(caseID: caseID, on: db) }) {
            return .ephemeral("📝 This case's RCA page is <\(page.url)|\(SlackText.escaped(page.title))>; nothing new was created.")
        }
        let now = context.clock.now()
        let user = command.userID
        try await context.storage.transaction { tx in try await Self.queuePage(for: item, by: user, at: now, tx) }
        return .ephemeral("📝 Creating the RCA page in Confluence (space \(configuration.space))… its link will be posted in this channel.")
    }
}
