import CasebookKit
import CasesPlugin

/// `/case update` (and the control panel's button): a modal for a structured status update, posted
/// to the case channel and threaded under the incident's digest message, recorded on the timeline,
/// published as ``UpdatePosted``, and resetting the reminder clock (it also ends a silence).
extension RolesPlugin {
    func updateCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        return .openModal(UpdateModal.make(caseID: item.id, title: item.title))
    }

    func updateButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "update", actor: action.userID, context)
        return .openModal(UpdateModal.make(caseID: item.id, title: item.title))
    }

    func submitUpdate(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        func field(_ block: String) -> String? {
            let text = submission.value(block)?.value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? nil : text
        }
        guard let impact = field(UpdateModal.impactBlock) else { return .viewErrors([UpdateModal.impactBlock: "Say who or what is affected."]) }
        guard let text = field(UpdateModal.textBlock) else { return .viewErrors([UpdateModal.textBlock: "Write the update."]) }
        guard let item = await CaseDirectory(context: context).case(id: submission.privateMetadata) else {
            return .viewErrors([UpdateModal.textBlock: "This case no longer exists."])
        }
        do {
            try Self.requireIncident(item, context)
        } catch let error as UserFacingError {
            return .viewErrors([UpdateModal.textBlock: error.message])
        }
        let incident = try await ensureIncident(item, context)
        let now = context.clock.now()
        let update = PostedUpdate(author: submission.userID, at: now, impact: impact, components: field(UpdateModal.componentsBlock), text: text)
        let caseID = item.id
        let reminds = remindersApply(incident, caseStatus: item.status)
        let first = configuration.firstReminder.duration.timeInterval
        try await context.storage.transaction { tx in
            try await IncidentStore.recordUpdate(caseID: caseID, update, on: tx.sql)
            try await IncidentStore.setSilence(caseID: caseID, silenced: false, until: nil, on: tx.sql)
            if reminds { try await Self.startReminders(caseID: caseID, at: now.addingTimeInterval(first), tx) }
            try await tx.audit.record(
                actor: update.author, action: "roles.update_posted", subject: caseID,
                details: [
                    "impact": .string(update.impact), "components": update.components.map(JSONValue.string) ?? .null,
                    "text": .string(update.text),
                ])
            try await tx.events.publish(UpdatePosted(
                caseID: caseID, channelID: item.channelID, severity: incident.severity, status: incident.status, update: update))
        }
        let message = UpdateModal.message(update, severity: configuration.severityName(incident.severity), status: incident.status)
        async let inChannel = announce(message, in: item.channelID, context)
        // A private case's update stays in its channel; its digest message only shows the state.
        async let digest: Void = item.isPrivate ? sync(caseID: caseID, context) : postUnderDigest(message, caseID: caseID, context)
        _ = await (inChannel, digest)
        return .ack
    }

    /// Brings the digest message up to date (posting it again if it was deleted), then threads the
    /// update under it.
    func postUnderDigest(_ message: Message, caseID: String, _ context: PluginContext) async {
        await sync(caseID: caseID, context)
        do {
            let thread = try await loadIncident(caseID, context)?.digest
            try await context.slack.postMessage(channel: thread?.channel ?? configuration.digestChannel, message, threadTS: thread?.ts)
        } catch {
            context.logger.warning("update not posted to the digest", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }
}
