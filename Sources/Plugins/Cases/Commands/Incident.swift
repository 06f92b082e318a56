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
            let plan = IncidentAnnouncement(case: escalated, actor: user, leavingCommandOpen: leavingCommandOpen)
            try await tx.jobs.schedule(
                Self.announceIncident, plan, at: now.addingTimeInterval(Self.sideEffectHandoff), dedupeKey: Self.incidentKey(caseID))
            try await Self.scheduleRefresh(caseID, at: now, in: tx)
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
        // Announcements, responders and the refresh at once; the job scheduled above completes
        // whatever is not confirmed here (a failure, or a crash right after the commit).
        let plan = IncidentAnnouncement(case: escalated, actor: user, leavingCommandOpen: leavingCommandOpen)
        async let results = perform(announcementSteps(plan, context), caseID: caseID, budget: Self.sideEffectBudget, context)
        async let refreshed: Void = refreshAfterChange(escalated, context)
        await settle(await results, job: Self.announceIncident, plan, dedupeKey: Self.incidentKey(caseID), caseID: caseID, context)
        await refreshed
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
