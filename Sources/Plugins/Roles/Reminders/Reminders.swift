import CasebookKit
import CasesPlugin

/// Update reminders: while an incident's severity is in `remind_severities` and it is not resolved,
/// the channel is reminded (mentioning the commander) after `first_reminder` without an update,
/// then every `reminder_interval`.
///
/// Each incident has at most one pending `remind` job (dedupe key `remind:<case id>`), scheduled
/// in the same transaction as the change that calls for it, and `next_reminder_at` in the
/// incident's row says which job is the current one: a job whose due time no longer matches (the
/// clock was reset by an update, the severity dropped, a silence came in between) does nothing.
/// So a restart neither loses a reminder (jobs are rows) nor duplicates one (one key, one due time).
extension RolesPlugin {
    public struct Reminder: Codable, Sendable, Equatable {
        public var caseID: String
        /// The due time in epoch milliseconds, compared exactly with the incident's row.
        public var dueMillis: Int64
        public init(caseID: String, dueMillis: Int64) {
            self.caseID = caseID
            self.dueMillis = dueMillis
        }
    }

    static let remind = JobKey<Reminder>("remind")

    static func reminderKey(_ caseID: String) -> String { "remind:\(caseID)" }

    /// Schedules (or moves) the incident's reminder to `date`, in the caller's transaction.
    static func startReminders(caseID: String, at date: Date, _ tx: Transaction) async throws {
        let due = Date(timeIntervalSince1970: TimeInterval(millis(date)) / 1000)
        try await IncidentStore.setNextReminder(caseID: caseID, due, on: tx.sql)
        try await tx.jobs.schedule(remind, Reminder(caseID: caseID, dueMillis: millis(due)), at: due, dedupeKey: reminderKey(caseID))
    }

    /// Cancels the incident's reminder, in the caller's transaction.
    static func stopReminders(caseID: String, _ tx: Transaction) async throws {
        try await IncidentStore.setNextReminder(caseID: caseID, nil, on: tx.sql)
        try await tx.jobs.cancel(dedupeKey: reminderKey(caseID))
    }

    /// Whether reminders run for this incident now (severity in the set, not resolved, not silenced for good).
    func remindersApply(_ incident: Incident, caseStatus: Case.Status) -> Bool {
        caseStatus == .escalated && incident.status != .resolved && configuration.reminds(incident.severity)
    }

    func remindJob(_ payload: Reminder, _ context: PluginContext) async throws {
        let caseID = payload.caseID
        guard let item = await CaseDirectory(context: context).case(id: caseID) else { return }
        let now = context.clock.now()
        let interval = configuration.reminderInterval.duration.timeInterval
        let plugin = self
        let due = try await context.storage.transaction { tx -> Incident? in
            guard let incident = try await IncidentStore.find(caseID: caseID, on: tx.sql),
                  let next = incident.nextReminderAt, millis(next) == payload.dueMillis
            else { return nil }
            guard plugin.remindersApply(incident, caseStatus: item.status) else {
                try await Self.stopReminders(caseID: caseID, tx)
                return nil
            }
            if incident.silenced {
                guard let until = incident.silencedUntil, until <= now else { return nil }
                try await IncidentStore.setSilence(caseID: caseID, silenced: false, until: nil, on: tx.sql)
            }
            try await Self.startReminders(caseID: caseID, at: now.addingTimeInterval(interval), tx)
            return incident
        }
        guard let incident = due else { return }
        let quiet = now.timeIntervalSince(incident.lastUpdate?.at ?? item.escalatedAt ?? incident.createdAt)
        let severity = configuration.severityName(incident.severity)
        let text = "⏰ \(SlackText.user(item.commander)) no update on this \(severity) incident for \(SlackText.duration(quiet)). "
            + "Post one with `\(context.usage("update"))` or the control panel; `\(context.usage("silence"))` pauses these reminders."
        if await announce(Message(text), in: item.channelID, context) != nil { context.metrics.reminderSent() }
    }

    /// `/case reminders`: what is scheduled for this incident.
    func remindersCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: nil, context)
        let incident = try await ensureIncident(item, context)
        let pending = try await context.jobs.pending(dedupeKeyPrefix: Self.reminderKey(item.id)).filter { $0.name == Self.remind.name }
        let now = context.clock.now()
        let severity = configuration.severityName(incident.severity)
        var lines = ["⏰ *Update reminders* for this \(severity) incident"]
        if let job = pending.first {
            lines.append("Next reminder \(SlackText.date(job.runAt)) (in \(SlackText.duration(job.runAt.timeIntervalSince(now)))), "
                + "then every \(configuration.reminderInterval) until an update is posted.")
        } else if !remindersApply(incident, caseStatus: item.status) {
            let set = (configuration.remindSeverities ?? []).map(configuration.severityName).joined(separator: ", ")
            lines.append(incident.status == .resolved || item.status != .escalated
                ? "None: the incident is resolved."
                : "None: reminders run at \(set.isEmpty ? "no severity" : set), and this incident is \(severity).")
        } else {
            lines.append("None scheduled.")
        }
        if incident.silenced {
            lines.append(incident.silencedUntil.map { "🔕 Silenced until \(SlackText.date($0))." }
                ?? "🔕 Silenced until the severity changes or an update is posted.")
        }
        if let update = incident.lastUpdate {
            lines.append("Last update \(SlackText.date(update.at)) by \(SlackText.user(update.author)).")
        }
        lines.append("`casebook jobs` lists every scheduled job.")
        return .ephemeral(lines.joined(separator: "\n"))
    }

    /// `/case silence [duration]`: the commander pauses reminders, for a while or until the
    /// severity changes or an update is posted.
    func silenceCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        guard item.commander == command.userID else {
            throw UserFacingError("Only the incident commander (\(SlackText.user(item.commander))) can silence update reminders.")
        }
        let incident = try await ensureIncident(item, context)
        guard remindersApply(incident, caseStatus: item.status) else {
            throw UserFacingError("There are no update reminders to silence for this incident (`\(context.usage("reminders"))` says why).")
        }
        var until: Date?
        if !command.arguments.isEmpty {
            guard let duration = ConfigDuration(parsing: command.arguments), duration.duration > .zero else {
                throw UserFacingError("`\(command.arguments)` is not a duration. Usage: `\(context.usage("silence", "[duration, e.g. 90s, 30m, 2h]"))`.")
            }
            until = context.clock.now().addingTimeInterval(duration.duration.timeInterval)
        }
        let caseID = item.id
        let actor = command.userID
        let end = until
        try await context.storage.transaction { tx in
            try await IncidentStore.setSilence(caseID: caseID, silenced: true, until: end, on: tx.sql)
            if let end {
                try await Self.startReminders(caseID: caseID, at: end, tx)
            } else {
                try await Self.stopReminders(caseID: caseID, tx)
            }
            try await tx.audit.record(
                actor: actor, action: "roles.reminders_silenced", subject: caseID,
                details: ["until": end.map { .string(SlackText.utc($0)) } ?? .null])
        }
        let how = until.map { "until \(SlackText.date($0))" } ?? "until the severity changes or an update is posted"
        await announce(Message("🔕 \(SlackText.user(actor)) paused update reminders \(how)."), in: item.channelID, context)
        await sync(caseID: caseID, context)
        return .ephemeral("🔕 Update reminders paused \(how).")
    }
}
