import CasebookKit
import CasesPlugin

extension LinearPostmortemPlugin {
    /// `/case postmortem` in a case channel: queues the issue, or links it when it exists.
    func postmortemCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        guard command.arguments.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UserFacingError("Usage: \(context.usage("postmortem"))")
        }
        guard let item = await CaseDirectory(context: context).case(inChannel: command.channelID) else {
            throw UserFacingError("Use \(context.usage("postmortem")) in the channel of a case.")
        }
        switch try await requestIssue(caseID: item.id, channelID: item.channelID, by: command.userID, context) {
        case .exists(let record):
            return .ephemeral("This case's postmortem issue is \(Self.link(record)); there is only one per case.")
        case .queued:
            return .ephemeral("Creating the postmortem issue in Linear… this channel will hear when it exists.")
        }
    }

    /// `<url|ENG-123>`, or the identifier alone.
    static func link(_ record: PostmortemRecord) -> String {
        guard let identifier = record.identifier else { return "not created yet" }
        return record.url.map { "<\($0)|\(SlackText.escaped(identifier))>" } ?? SlackText.escaped(identifier)
    }
}
