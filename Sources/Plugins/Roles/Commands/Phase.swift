import CasebookKit
import CasesPlugin

/// `/case phase <investigating|identified|monitoring|resolved>` and the control panel's status
/// select. Named `phase` because `/case status` is the Cases plugin's overview. `resolved` goes
/// through the Cases plugin's resolve, so the case and the incident can never disagree; this
/// plugin then follows the ``CaseResolved`` event like any other resolution.
extension RolesPlugin {
    func phaseCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        guard command.words.count == 1, let status = IncidentStatus(rawValue: command.words[0].lowercased()) else {
            throw UserFacingError("Usage: `\(context.usage("phase", "<\(IncidentStatus.usage)>"))`.")
        }
        let reply = try await changeStatus(item, to: status, by: command.userID, source: .command, context)
        return .ephemeral(reply)
    }

    func statusSelected(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "phase", actor: action.userID, context)
        guard let value = action.value, let status = IncidentStatus(rawValue: value) else {
            throw UserFacingError("Unknown status; `\(context.usage("phase"))` lists them.")
        }
        _ = try await changeStatus(item, to: status, by: action.userID, source: .button, context)
        return .ack
    }

    func changeStatus(
        _ item: Case, to status: IncidentStatus, by actor: String, source: TriggerSource, _ context: PluginContext
    ) async throws -> String {
        let incident = try await ensureIncident(item, context)
        if incident.status == .resolved || item.status == .resolved {
            throw UserFacingError("This incident is resolved. If it is back, open a new case.")
        }
        guard incident.status != status else { throw UserFacingError("The status is already *\(status.label)*.") }
        if status == .resolved {
            let outcome = await CaseDirectory(context: context).resolve(caseID: item.id, by: actor, source: source)
            guard outcome.succeeded else { throw UserFacingError(outcome.error ?? "The incident could not be resolved.") }
            return "✅ Resolved. `\(context.usage("close"))` closes the investigation when the follow-up is done."
        }
        let caseID = item.id
        let from = incident.status
        let changed = try await context.storage.transaction { tx -> Bool in
            guard try await IncidentStore.setStatus(caseID: caseID, from: from, to: status, on: tx.sql) else { return false }
            try await tx.audit.record(
                actor: actor, action: "roles.status_changed", subject: caseID,
                details: ["from": .string(from.rawValue), "to": .string(status.rawValue)])
            try await tx.events.publish(IncidentStatusChanged(caseID: caseID, channelID: item.channelID, from: from, to: status, actor: actor))
            return true
        }
        guard changed else { throw UserFacingError("The status changed while you were setting it; check the control panel and try again.") }
        await announce(
            Message("\(status.emoji) \(SlackText.user(actor)) set the incident status to *\(status.label)* (was \(from.label))."),
            in: item.channelID, context)
        await sync(caseID: caseID, context)
        return "Status is now *\(status.label)*."
    }
}
