import CasebookKit

/// `/case transfer @user`: hands incident command to a real member of the workspace.
extension CasesPlugin {
    func transfer(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context)
        guard command.words.count == 1, let target = parseUserMention(command.arguments) else {
            throw UserFacingError("Name the new commander: `\(context.usage("transfer", "@user"))`.")
        }
        let transferred = try await transfer(item, to: target, by: command.userID, context)
        return .ephemeral("🎖️ \(SlackText.user(transferred.commander)) is now the incident commander.")
    }

    func transfer(_ item: Case, to target: String, by actor: String, _ context: PluginContext) async throws -> Case {
        switch item.status {
        case .investigating:
            throw UserFacingError("This investigation is not an incident yet, so nobody commands it. `\(context.usage("incident"))` escalates it.")
        case .closed:
            throw Self.closedError(item)
        case .escalated, .resolved:
            break
        }
        if item.commander == target { throw UserFacingError("\(SlackText.user(target)) is already the incident commander.") }
        try await requireTransferAuthority(item, to: target, by: actor, context)
        let user: SlackUser
        do {
            user = try await context.slack.userInfo(target)
        } catch let error as SlackAPIError where error.code == "user_not_found" || error.code == "user_not_visible" {
            throw UserFacingError("I can't find \(SlackText.user(target)) in this workspace.")
        }
        guard target != context.installation.botUserID, context.installation.mayHoldRole(user) else {
            throw UserFacingError(
                "\(SlackText.user(target)) can't command an incident: only members of this workspace can "
                    + "(not bots, deactivated or external users\(context.installation.refusesGuests ? ", nor guests" : "")).")
        }

        let now = context.clock.now()
        let caseID = item.id
        let previous = item.commander
        let updated = try await context.storage.transaction { tx -> Case? in
            guard let changed = try await CaseStore.transfer(id: caseID, from: previous, to: target, on: tx.sql) else { return nil }
            try await CaseStore.addParticipants(caseID: caseID, users: [target], at: now, on: tx.sql)
            try await tx.audit.record(
                actor: actor, action: "case.commander_changed", subject: caseID,
                details: ["from": previous.map(JSONValue.string) ?? .null, "to": .string(target)])
            try await tx.events.publish(CommanderChanged(case: changed, previous: previous, actor: actor))
            return changed
        }
        guard let transferred = updated else {
            throw UserFacingError("Incident command changed while you were handing it over; check `\(context.usage("status"))` and try again.")
        }
        async let invited = attempt { try await context.slack.invite(channel: transferred.channelID, users: [target]) }
        async let announced = announce(
            Message(previous == nil && actor == target
                ? "🎖️ \(SlackText.user(target)) took incident command."
                : "🎖️ \(SlackText.user(actor)) handed incident command to \(SlackText.user(target))."
                    + (previous.map { " (previously \(SlackText.user($0)))" } ?? "")),
            in: transferred.channelID, context)
        async let refreshed: Void = refreshMessages(transferred, context)
        let (invitation, _, _) = await (invited, announced, refreshed)
        if case .failure(let error) = invitation {
            context.logger.warning("new commander not invited", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
        return transferred
    }
}
