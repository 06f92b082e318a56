import CasebookKit

/// Checks shared by the commands: the plugin's own workspace allowlist and "which case is this".
extension CasesPlugin {
    /// `allowed_workspaces` is the Case app's own setting, so the plugin enforces it itself as well
    /// as the host's allowlist.
    func checkWorkspace(_ team: String) throws {
        guard configuration.allowsWorkspace(team) else {
            throw UserFacingError("Cases are not enabled for this workspace.")
        }
    }

    /// The case whose channel the command was run in; nothing changes when there is none, or when
    /// the caller is not in the channel (unless `readOnly`: anyone who sees the channel may look).
    func caseInChannel(_ command: SlashCommand, _ context: PluginContext, readOnly: Bool = false) async throws -> Case {
        try checkWorkspace(command.teamID)
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
        try checkWorkspace(action.teamID)
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
