import CasebookKit

/// Who may act on a case. Buttons and commands in a case channel are for the people in it; incident
/// command is handed over by the commander (or a workspace admin or owner), taken only while nobody
/// holds it, and an unresolved incident is closed only by its commander. A refusal throws before
/// anything changes, so the actor gets an ephemeral reason and the channel hears nothing.
extension CasesPlugin {
    /// Refuses people who are not members of the case's channel (the bot acts for integrations).
    func requireChannelMember(_ user: String, _ item: Case, _ context: PluginContext) async throws {
        if let problem = try await membershipProblem(user, item, context) { throw UserFacingError(problem) }
    }

    /// Why `user` may not act in the case's channel, or nil when they may.
    func membershipProblem(_ user: String, _ item: Case, _ context: PluginContext) async throws -> String? {
        guard user != context.installation.botUserID else { return nil }
        guard try await !context.slack.members(of: item.channelID).contains(user) else { return nil }
        return "Only members of \(SlackText.channel(item.channelID)) can act on this case. Join the channel first."
    }

    /// Transfer: the commander hands command on, a workspace admin or owner reassigns it, and
    /// while nobody commands anyone in the channel may take it or give it (the bot acts for alerts).
    func requireTransferAuthority(_ item: Case, to target: String, by actor: String, _ context: PluginContext) async throws {
        guard let commander = item.commander else { return }
        if actor == commander || actor == context.installation.botUserID { return }
        if try await isWorkspaceAdmin(actor, context) { return }
        throw actor == target
            ? Self.commandHeldError(commander, context)
            : UserFacingError("Only the incident commander (\(SlackText.user(commander))) or a workspace admin can hand over incident command.")
    }

    /// The answer to claiming command that someone holds.
    public static func commandHeldError(_ commander: String, _ context: PluginContext) -> UserFacingError {
        UserFacingError(
            "\(SlackText.user(commander)) commands this incident; command can be claimed only while nobody holds it. "
                + "The commander (or a workspace admin) hands it over with `\(context.usage("transfer", "@user"))`.")
    }

    /// Closing an incident that is not resolved ("Close anyway") is the commander's decision.
    func requireCloseAuthority(_ item: Case, by actor: String, _ context: PluginContext) throws {
        guard item.status == .escalated, actor != item.commander, actor != context.installation.botUserID else { return }
        throw UserFacingError(
            "Only the incident commander (\(SlackText.user(item.commander))) can close an incident that is not resolved. "
                + "`\(context.usage("resolve"))` resolves it first.")
    }

    /// Whether the acting user is a workspace admin or owner, as the host's user policy resolved
    /// them when it did (no second `users.info`).
    func actorIsWorkspaceAdmin(_ context: InvocationContext) async throws -> Bool {
        if let user = context.user { return user.isAdmin }
        return try await isWorkspaceAdmin(context.userID ?? "", context.plugin)
    }

    /// `users.info` `is_admin` / `is_owner`; a user Slack cannot show is no admin.
    func isWorkspaceAdmin(_ user: String, _ context: PluginContext) async throws -> Bool {
        do {
            return try await context.slack.userInfo(user).isAdmin
        } catch let error as SlackAPIError where error.code == "user_not_found" || error.code == "user_not_visible" {
            return false
        }
    }
}
