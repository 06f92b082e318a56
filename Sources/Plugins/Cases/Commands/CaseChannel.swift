import CasebookKit

/// Checks shared by the commands: "which case is this" (the workspace allowlist is the
/// ``AllowedWorkspaces`` middleware in front of every command).
extension CasesPlugin {
    /// The case whose channel the command was run in; nothing changes when there is none, or when
    /// the caller is not in the channel (unless `readOnly`: anyone who sees the channel may look).
    func caseInChannel(_ command: SlashCommand, _ context: PluginContext, readOnly: Bool = false) async throws -> Case {
        let channel = command.channelID
        guard let item = try await context.storage.read({ db in try await CaseStore.find(channel: channel, on: db) }) else {
            throw UserFacingError(
                "Run `\(context.usage(command.subcommand))` inside a case channel. `\(context.usage("list"))` shows the active ones.")
        }
        if !readOnly { try await requireChannelMember(command.userID, item, context) }
        return item
    }

    /// The case a button refers to (its value is the case id); only members of its channel may press it.
    func caseForButton(_ action: BlockAction, _ context: PluginContext) async throws -> Case {
        guard let id = action.value, !id.isEmpty,
              let item = try await context.storage.read({ db in try await CaseStore.find(id: id, on: db) })
        else { throw UserFacingError("This case no longer exists.") }
        try await requireChannelMember(action.userID, item, context)
        return item
    }

    static func closedError(_ item: Case) -> UserFacingError {
        UserFacingError("This case was closed \(SlackText.date(item.closedAt ?? item.openedAt)) by \(SlackText.user(item.closedBy)).")
    }
}
