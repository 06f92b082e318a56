import CasebookKit
import CasesPlugin

/// Keeps the control panel and the digest message in step with the incident. Both are rebuilt from
/// state and updated in place; a message someone deleted is posted again (and the new one
/// remembered) instead of failing. An update that fails for another reason is retried by a durable
/// job, so a Slack hiccup never leaves the digest showing a stale state for good.
extension RolesPlugin {
    public struct SyncMessages: Codable, Sendable, Equatable {
        public var caseID: String
        public init(caseID: String) { self.caseID = caseID }
    }

    static let syncJob = JobKey<SyncMessages>("sync_messages")

    /// Refreshes both messages; on failure hands the work to the retry job.
    func sync(caseID: String, _ context: PluginContext) async {
        await updateOrRetry(Self.syncJob, caseID: caseID, dedupeKey: "sync:\(caseID)", context) { try await syncMessages(caseID: caseID, context) }
    }

    /// Runs `update` now; when it fails, schedules `job` to do it again (once per case while pending).
    func updateOrRetry(
        _ job: JobKey<SyncMessages>, caseID: String, dedupeKey: String, _ context: PluginContext, _ update: () async throws -> Void
    ) async {
        do {
            try await update()
        } catch {
            context.logger.warning("message not updated; retrying as a job", metadata: ["case": "\(caseID)", "job": "\(job.name)", "error": "\(error)"])
            do {
                try await context.jobs.schedule(job, SyncMessages(caseID: caseID), at: context.clock.now(), dedupeKey: dedupeKey)
            } catch {
                context.logger.error("could not schedule the message update", metadata: ["case": "\(caseID)", "job": "\(job.name)", "error": "\(error)"])
            }
        }
    }

    func syncMessages(_ job: SyncMessages, _ context: PluginContext) async throws {
        try await syncMessages(caseID: job.caseID, context)
    }

    func syncMessages(caseID: String, _ context: PluginContext) async throws {
        guard let item = await CaseDirectory(context: context).case(id: caseID),
              let incident = try await loadIncident(caseID, context)
        else { return }
        // An archived channel's panel can no longer be edited; the digest outlives the channel.
        let panelMessage = item.status == .closed
            ? nil : ControlPanel.make(item, incident, configuration, extraButtons: await contributedPanelButtons(item, context))
        async let panel: Void = keepPosted(.panel, incident.panel, panelMessage, caseID: caseID, context)
        async let digest: Void = keepPosted(.digest, incident.digest, DigestMessage.make(item, incident, configuration), caseID: caseID, context)
        try await panel
        try await digest
    }

    /// Buttons other plugins put on the panel, at most what an actions block still holds.
    func contributedPanelButtons(_ item: Case, _ context: PluginContext) async -> [Element] {
        let own = configuration.roles.roles.count + 1
        return Array(await context.extensions.collect(Self.panelButtons, item, logger: context.logger).flatMap { $0 }.prefix(max(0, 25 - own)))
    }

    /// Updates the message at `ref`; when Slack says it is gone, posts it again where it was.
    func keepPosted(_ slot: IncidentStore.MessageSlot, _ ref: MessageRef?, _ message: Message?, caseID: String, _ context: PluginContext) async throws {
        guard let ref, let message else { return }
        do {
            try await context.slack.updateMessage(ref, message)
        } catch let error as SlackAPIError where error.code == "message_not_found" {
            context.logger.info("incident message was deleted; posting it again", metadata: ["case": "\(caseID)", "slot": "\(slot.rawValue)"])
            try await post(slot, message, in: ref.channel, caseID: caseID, replacing: ref.ts, context)
        }
    }

    /// Posts a message and remembers it, unless another writer remembered one first (then this one
    /// is deleted again, so there is never a second panel or digest message).
    @discardableResult
    func post(
        _ slot: IncidentStore.MessageSlot, _ message: Message, in channel: String, caseID: String, replacing old: String?,
        _ context: PluginContext
    ) async throws -> MessageRef? {
        let ref = try await context.slack.postMessage(channel: channel, message)
        let stored = try await context.storage.transaction { tx in
            try await IncidentStore.storeMessage(slot, caseID: caseID, ref, replacing: old, on: tx.sql)
        }
        guard stored else {
            try? await context.slack.deleteMessage(ref)
            return nil
        }
        if slot == .panel {
            do { try await context.slack.pin(ref) } catch {
                context.logger.warning("control panel not pinned", metadata: ["case": "\(caseID)", "error": "\(error)"])
            }
        }
        return ref
    }
}
