import CasebookKit

/// `/case incident` (and the summary's "Escalate" button): the investigation becomes an incident,
/// the caller its commander.
extension CasesPlugin {
    func incident(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context)
        let escalated = try await escalate(item, by: command.userID, source: .command, context)
        return .ephemeral("🚨 Escalated to an incident. You are the incident commander of \(SlackText.channel(escalated.channelID)).")
    }

    func escalateButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await caseForButton(action, context)
        let escalated = try await escalate(item, by: action.userID, source: .button, context)
        return .ephemeral("🚨 Escalated to an incident. You are the incident commander of \(SlackText.channel(escalated.channelID)).")
    }

    /// Escalates exactly once: the conditional update decides between simultaneous callers, and
    /// the losers hear who escalated.
    /// With `leavingCommandOpen` (an alert escalated it) nobody commands yet and the messages offer
    /// a "Take command" button.
    func escalate(
        _ item: Case, by user: String, leavingCommandOpen: Bool = false, source: TriggerSource, _ context: PluginContext
    ) async throws -> Case {
        let now = context.clock.now()
        let caseID = item.id
        let updated = try await context.storage.transaction { tx -> Case? in
            guard let escalated = try await CaseStore.escalate(id: caseID, by: user, at: now, leavingCommandOpen: leavingCommandOpen, on: tx.sql)
            else { return nil }
            if !leavingCommandOpen { try await CaseStore.addParticipants(caseID: caseID, users: [user], at: now, on: tx.sql) }
            try await tx.audit.record(
                actor: user, action: "case.escalated", subject: caseID, details: ["commander": escalated.commander.map(JSONValue.string) ?? .null])
            try await tx.events.publish(CaseEscalated(case: escalated, actor: user))
            return escalated
        }
        guard let escalated = updated else {
            let current = try await context.storage.read { db in try await CaseStore.find(id: caseID, on: db) } ?? item
            if current.status == .closed { throw Self.closedError(current) }
            throw UserFacingError(
                "This is already an incident: escalated \(SlackText.date(current.escalatedAt ?? now)) by \(SlackText.user(current.escalatedBy)); "
                    + "commander \(SlackText.user(current.commander)).")
        }

        Self.recordTransition(.escalated, escalated, source: source, context)
        let inChannelMessage = leavingCommandOpen
            ? Self.commandOpenMessage(escalated)
            : Message("🚨 \(SlackText.user(user)) escalated this investigation to an incident and is the incident commander.")
        let commander = escalated.commander.map { "commander \(SlackText.user($0))" } ?? "no commander yet"
        async let inChannel = announce(inChannelMessage, in: escalated.channelID, context)
        async let notified = announce(
            Message("🚨 \(escalated.publicChannel) *\(SlackText.escaped(escalated.publicTitle))* is now an incident — \(commander)."),
            in: configuration.notificationsChannel, context)
        async let responders: Void = inviteResponseGroup(to: escalated, context)
        async let refreshed: Void = refreshMessages(escalated, context)
        _ = await (inChannel, notified, responders, refreshed)
        return escalated
    }

    /// Invites the members of `response_group`, remembering them as participants.
    func inviteResponseGroup(to item: Case, _ context: PluginContext) async {
        guard let group = configuration.responseGroup else { return }
        do {
            let members = try await context.slack.userGroupMembers(group).filter { $0 != context.installation.botUserID }
            guard !members.isEmpty else { return }
            try await context.slack.invite(channel: item.channelID, users: members)
            let now = context.clock.now()
            try await context.storage.transaction { tx in
                try await CaseStore.addParticipants(caseID: item.id, users: members, at: now, on: tx.sql)
            }
        } catch {
            context.logger.warning("response group not invited", metadata: ["case": "\(item.id)", "group": "\(group)", "error": "\(error)"])
            await announce(
                Message("⚠️ I could not invite the response group <!subteam^\(group)> (\(error)). Please add them by hand."),
                in: item.channelID, context)
        }
    }
}
