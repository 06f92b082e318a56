import CasebookKit
import CasesPlugin

/// Reactions to the Cases plugin's lifecycle events. Each runs as a durable job, at least once, so
/// each is idempotent: state changes are conditional, messages are posted only when none is
/// remembered yet.
extension RolesPlugin {
    /// Escalation: the incident starts at `default_severity` (reminders scheduled if it is in
    /// `remind_severities`), its control panel is posted and pinned, its digest message posted,
    /// the commander briefed, and the checklist's own job scheduled.
    func escalated(_ event: CaseEscalated, _ context: PluginContext) async throws {
        let item = await CaseDirectory(context: context).case(id: event.case.id) ?? event.case
        guard item.status == .escalated || item.status == .resolved else { return }
        let incident = try await ensureIncident(item, context)
        let firstTime = incident.panel == nil
        if incident.panel == nil {
            let panel = ControlPanel.make(item, incident, configuration, extraButtons: await contributedPanelButtons(item, context))
            try await post(.panel, panel, in: item.channelID, caseID: item.id, replacing: nil, context)
        }
        if incident.digest == nil {
            try await post(.digest, DigestMessage.make(item, incident, configuration), in: configuration.digestChannel, caseID: item.id, replacing: nil, context)
        }
        // A change made while these were being posted (a severity chosen in the Start modal, a role
        // taken at once) found no message to update yet: bring both up to date now.
        if firstTime || incident.digest == nil, var current = try await loadIncident(item.id, context) {
            current.panel = incident.panel
            current.digest = incident.digest
            if current != incident { await sync(caseID: item.id, context) }
        }
        if firstTime, let commander = item.commander, let role = configuration.roles.commander {
            await brief(commander, on: role, item, context)
        }
        try await scheduleChecklist(caseID: item.id, context)
    }

    /// Command changed hands (by `/case transfer`, `/case role commander`, or the panel): the new
    /// commander is briefed, the change published as ``RoleAssigned``, panel and digest refreshed.
    func commanderChanged(_ event: CommanderChanged, _ context: PluginContext) async throws {
        guard let commander = event.case.commander, let role = configuration.roles.commander else { return }
        let item = await CaseDirectory(context: context).case(id: event.case.id) ?? event.case
        guard item.status == .escalated || item.status == .resolved else { return }
        try await ensureIncident(item, context)
        let caseID = item.id
        try await context.storage.transaction { tx in
            try await tx.events.publish(RoleAssigned(
                caseID: caseID, channelID: item.channelID, role: role.id, user: commander, previous: event.previous, actor: event.actor))
        }
        await brief(commander, on: role, item, context)
        await sync(caseID: caseID, context)
    }

    /// Resolution (from `/case resolve`, `/case phase resolved` or a button): status resolved,
    /// reminders stopped, digest marked resolved, and the RCA channel created if configured.
    func resolved(_ event: CaseResolved, _ context: PluginContext) async throws {
        let item = await CaseDirectory(context: context).case(id: event.case.id) ?? event.case
        let incident = try await ensureIncident(item, context)
        let caseID = item.id
        let from = incident.status
        try await context.storage.transaction { tx in
            if from != .resolved, try await IncidentStore.setStatus(caseID: caseID, from: from, to: .resolved, on: tx.sql) {
                try await tx.audit.record(
                    actor: event.actor, action: "roles.status_changed", subject: caseID,
                    details: ["from": .string(from.rawValue), "to": .string(IncidentStatus.resolved.rawValue)])
                try await tx.events.publish(IncidentStatusChanged(caseID: caseID, channelID: item.channelID, from: from, to: .resolved, actor: event.actor))
            }
            try await IncidentStore.setSilence(caseID: caseID, silenced: false, until: nil, on: tx.sql)
            try await Self.stopReminders(caseID: caseID, tx)
        }
        // A public RCA channel would show a private case's name to everyone: its RCA stays in its channel.
        if configuration.rcaChannel, incident.rcaChannel == nil, item.status != .closed, !item.isPrivate {
            try await openRCAChannel(item, context)
        }
        await sync(caseID: caseID, context)
    }

    /// Closing (possibly without resolving): reminders stop and the digest shows the final state.
    func closed(_ event: CaseClosed, _ context: PluginContext) async throws {
        let caseID = event.case.id
        guard try await loadIncident(caseID, context) != nil else { return }
        try await context.storage.transaction { tx in try await Self.stopReminders(caseID: caseID, tx) }
        await sync(caseID: caseID, context)
    }
}
