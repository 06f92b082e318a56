import CasebookKit
import CasesPlugin

/// The checklist message's life: posted and pinned by a durable job when the case is escalated,
/// updated in place after every tick and severity change, posted again by `/case checklist`.
extension RolesPlugin {
    static let checklistPostJob = JobKey<SyncMessages>("checklist_post")
    static let checklistSyncJob = JobKey<SyncMessages>("checklist_sync")

    /// Routes of the checklist. The jobs are always handled, so one queued before the checklist was
    /// turned off finishes quietly instead of failing.
    func registerChecklist(_ routes: inout Routes<RolesPlugin>) {
        routes.job(Self.checklistPostJob, use: RolesPlugin.postChecklistJob)
        routes.job(Self.checklistSyncJob, use: RolesPlugin.updateChecklist)
        guard configuration.checklist != nil else { return }
        routes.command("checklist", help: "Post the incident checklist again, at the bottom of the channel (in a case channel)", use: RolesPlugin.checklistCommand)
        routes.blockAction(ChecklistMessage.tickActionID, use: RolesPlugin.checklistTicked)
        routes.subscribe(SeverityChanged.self, use: RolesPlugin.syncChecklist)
    }

    /// Called by the escalation reaction: the checklist is posted by its own job, so a failure to
    /// post it is retried without repeating the rest of the escalation.
    func scheduleChecklist(caseID: String, _ context: PluginContext) async throws {
        guard configuration.checklist != nil else { return }
        try await context.jobs.schedule(Self.checklistPostJob, SyncMessages(caseID: caseID), at: context.clock.now(), dedupeKey: "checklist:\(caseID)")
    }

    /// Posts and pins the checklist of an incident that has none yet; a retry after success does nothing.
    func postChecklistJob(_ job: SyncMessages, _ context: PluginContext) async throws {
        try await postChecklistJob(caseID: job.caseID, context)
    }

    func postChecklistJob(caseID: String, _ context: PluginContext) async throws {
        guard configuration.checklist != nil, let item = await CaseDirectory(context: context).case(id: caseID),
              item.status == .escalated || item.status == .resolved,
              try await context.storage.read({ db in try await ChecklistStore.message(caseID: caseID, on: db) }) == nil
        else { return }
        try await postChecklist(item, replacing: nil, context)
    }

    /// The message as the incident stands, and its progress (`3/7`); nil with the checklist off.
    func checklistState(_ caseID: String, _ context: PluginContext) async throws -> (message: Message, progress: String)? {
        guard let checklist = configuration.checklist else { return nil }
        let (incident, ticks) = try await context.storage.read { db in
            (try await IncidentStore.find(caseID: caseID, on: db), try await ChecklistStore.ticks(caseID: caseID, on: db))
        }
        let severity = incident?.severity ?? configuration.defaultSeverity
        let entries = ChecklistMessage.entries(checklist, severity: severity, ticks: ticks)
        let message = ChecklistMessage.make(entries, severityName: configuration.severityName(severity), repostUsage: context.usage("checklist"))
        return (message, ChecklistMessage.progress(entries))
    }

    /// Posts the checklist in the case channel, remembers it (in place of `old`) and pins it. When
    /// another writer remembered one first, this one is deleted again: there is one checklist.
    @discardableResult
    func postChecklist(_ item: Case, replacing old: MessageRef?, _ context: PluginContext) async throws -> MessageRef? {
        try await ensureIncident(item, context)
        guard let state = try await checklistState(item.id, context) else { return nil }
        let ref = try await context.slack.postMessage(channel: item.channelID, state.message)
        let caseID = item.id
        let now = context.clock.now()
        let stored = try await context.storage.transaction { tx in
            try await ChecklistStore.storeMessage(caseID: caseID, ref, replacing: old?.ts, at: now, on: tx.sql)
        }
        guard stored else {
            try? await context.slack.deleteMessage(ref)
            return nil
        }
        do { try await context.slack.pin(ref) } catch {
            context.logger.warning("checklist not pinned", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
        if let old {
            // The old copy goes (and its pin with it), so nobody ticks a list that is no longer kept.
            do { try await context.slack.deleteMessage(old) } catch {
                context.logger.info("old checklist not deleted", metadata: ["case": "\(caseID)", "error": "\(error)"])
            }
        }
        return ref
    }

    /// Brings the posted checklist up to date; on failure a durable job retries it.
    /// A new severity can change the checklist's items.
    func syncChecklist(_ event: SeverityChanged, _ context: PluginContext) async {
        await syncChecklist(caseID: event.caseID, context)
    }

    func syncChecklist(caseID: String, _ context: PluginContext) async {
        await updateOrRetry(Self.checklistSyncJob, caseID: caseID, dedupeKey: "checklist_sync:\(caseID)", context) {
            try await updateChecklist(caseID: caseID, context)
        }
    }

    /// Updates the posted checklist in place; one someone deleted is posted again. An archived
    /// (closed) case's message is left as it was.
    func updateChecklist(_ job: SyncMessages, _ context: PluginContext) async throws {
        try await updateChecklist(caseID: job.caseID, context)
    }

    func updateChecklist(caseID: String, _ context: PluginContext) async throws {
        guard configuration.checklist != nil,
              let ref = try await context.storage.read({ db in try await ChecklistStore.message(caseID: caseID, on: db) }),
              let item = await CaseDirectory(context: context).case(id: caseID), item.status != .closed,
              let state = try await checklistState(caseID, context)
        else { return }
        do {
            try await context.slack.updateMessage(ref, state.message)
        } catch let error as SlackAPIError where error.code == "message_not_found" {
            context.logger.info("checklist was deleted; posting it again", metadata: ["case": "\(caseID)"])
            try await postChecklist(item, replacing: ref, context)
        }
    }

    /// `*Checklist:* 3/7 done` for `/case status` of an incident, while the checklist is on.
    func checklistStatusLine(_ caseID: String, _ context: PluginContext) async throws -> [String] {
        guard let state = try await checklistState(caseID, context) else { return [] }
        return ["*Checklist:* \(state.progress) done"]
    }
}
