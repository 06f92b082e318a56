import CasebookKit
import CasesPlugin

/// `/case severity <level>` and the control panel's severity select. Every change is announced in
/// the channel, recorded on the timeline, published as ``SeverityChanged`` and starts or stops the
/// update reminders when the level moves into or out of `remind_severities`.
extension RolesPlugin {
    func severityCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let usage = "Usage: `\(context.usage("severity", "<\(configuration.severities.usage)>"))`"
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        guard command.words.count == 1, let level = configuration.severities.level(command.words[0]) else {
            let levels = configuration.severities.levels.map { "• `\($0.id)` *\($0.name)* — \($0.description)" }.joined(separator: "\n")
            let problem = command.arguments.isEmpty ? "Name a severity." : "There is no severity `\(command.arguments)`."
            throw UserFacingError("\(problem) \(usage)\n\(levels)")
        }
        let changed = try await changeSeverity(item, to: level, by: command.userID, context)
        return .ephemeral("Severity is now *\(changed.name)*.")
    }

    func severitySelected(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "severity", actor: action.userID, context)
        guard let value = action.value, let level = configuration.severities.level(value) else {
            throw UserFacingError("That severity is no longer offered; `\(context.usage("severity"))` lists the levels.")
        }
        _ = try await changeSeverity(item, to: level, by: action.userID, context)
        return .ack
    }

    @discardableResult
    func changeSeverity(_ item: Case, to level: SeverityLevel, by actor: String, _ context: PluginContext) async throws -> SeverityLevel {
        let incident = try await ensureIncident(item, context)
        let from = incident.severity
        guard from != level.id else { throw UserFacingError("The severity is already *\(level.name)*.") }
        let caseID = item.id
        let now = context.clock.now()
        let remindedBefore = remindersApply(incident, caseStatus: item.status) && !incident.silenced
        var after = incident
        after.severity = level.id
        let remindsAfter = remindersApply(after, caseStatus: item.status)
        let first = configuration.firstReminder.duration.timeInterval
        let changed = try await context.storage.transaction { tx -> Bool in
            guard try await IncidentStore.setSeverity(caseID: caseID, from: from, to: level.id, on: tx.sql) else { return false }
            // A change of severity ends any silence: the situation is not the one that was silenced.
            try await IncidentStore.setSilence(caseID: caseID, silenced: false, until: nil, on: tx.sql)
            if remindsAfter && !remindedBefore {
                try await Self.startReminders(caseID: caseID, at: now.addingTimeInterval(first), tx)
            } else if !remindsAfter {
                try await Self.stopReminders(caseID: caseID, tx)
            }
            try await tx.audit.record(
                actor: actor, action: "roles.severity_changed", subject: caseID, details: ["from": .string(from), "to": .string(level.id)])
            try await tx.events.publish(SeverityChanged(caseID: caseID, channelID: item.channelID, from: from, to: level.id, actor: actor))
            return true
        }
        guard changed else { throw UserFacingError("The severity changed while you were setting it; check the control panel and try again.") }
        let previous = configuration.severityName(from)
        var text = "\(Words.severityEmoji(rank: configuration.severities.rank(level.id))) \(SlackText.user(actor)) changed the severity from \(previous) to *\(level.name)*."
        if remindsAfter && !remindedBefore {
            text += " Update reminders are on: every \(configuration.reminderInterval) after \(configuration.firstReminder) without an update."
        } else if !remindsAfter && remindedBefore {
            text += " Update reminders are off."
        }
        await announce(Message(text), in: item.channelID, context)
        await sync(caseID: caseID, context)
        return level
    }
}
