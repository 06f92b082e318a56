import CasebookKit
import CasesPlugin

/// Finding the incident a command or a click is about, and creating this plugin's state for it the
/// first time it is needed (the escalation event usually does; a command may come first).
extension RolesPlugin {
    /// The case of the channel, which must be an incident (escalated, or resolved and still open).
    /// With an `actor`, that person must be a member of the case channel (buttons and commands that
    /// change something); nothing changes otherwise.
    func incidentCase(inChannel channel: String, subcommand: String, actor: String?, _ context: PluginContext) async throws -> Case {
        let cases = CaseDirectory(context: context)
        guard let item = await cases.case(inChannel: channel) else {
            throw UserFacingError(
                "Run `\(context.usage(subcommand))` inside a case channel. `\(context.usage("list"))` shows the active ones.")
        }
        try Self.requireIncident(item, context)
        if let actor, let problem = await cases.membershipProblem(caseID: item.id, user: actor) { throw UserFacingError(problem) }
        return item
    }

    static func requireIncident(_ item: Case, _ context: PluginContext) throws {
        switch item.status {
        case .investigating:
            throw UserFacingError("This investigation is not an incident yet. `\(context.usage("incident"))` escalates it.")
        case .closed:
            throw UserFacingError("This case is closed.")
        case .escalated, .resolved:
            break
        }
    }

    /// This plugin's state of the incident, created at `default_severity` if missing.
    @discardableResult
    func ensureIncident(_ item: Case, _ context: PluginContext) async throws -> Incident {
        let caseID = item.id
        if let existing = try await context.storage.read({ db in try await IncidentStore.find(caseID: caseID, on: db) }) {
            return existing
        }
        let now = context.clock.now()
        let severity = configuration.defaultSeverity
        let first = configuration.firstReminder.duration.timeInterval
        let reminds = configuration.reminds(severity) && item.status == .escalated
        let actor = item.escalatedBy ?? item.commander ?? "casebook"
        return try await context.storage.transaction { tx in
            if try await IncidentStore.insertIfAbsent(caseID: caseID, channelID: item.channelID, severity: severity, at: now, on: tx.sql) {
                try await tx.audit.record(
                    actor: actor, action: "roles.severity_changed", subject: caseID,
                    details: ["from": .null, "to": .string(severity), "default": true])
                try await tx.events.publish(SeverityChanged(caseID: caseID, channelID: item.channelID, from: nil, to: severity, actor: actor))
                if reminds { try await Self.startReminders(caseID: caseID, at: now.addingTimeInterval(first), tx) }
            }
            guard let incident = try await IncidentStore.find(caseID: caseID, on: tx.sql) else {
                throw UserFacingError("The incident could not be set up; try again.")
            }
            return incident
        }
    }

    /// The case's severity, or the default before its incident state is written (an extension point's answer).
    func severity(ofCase caseID: String, _ context: PluginContext) async throws -> [String] {
        [try await loadIncident(caseID, context)?.severity ?? configuration.defaultSeverity]
    }

    func loadIncident(_ caseID: String, _ context: PluginContext) async throws -> Incident? {
        try await context.storage.read { db in try await IncidentStore.find(caseID: caseID, on: db) }
    }

    /// Who holds `role`: the Cases commander for the commander role, this plugin's table otherwise.
    static func holder(of role: IncidentRole, _ item: Case, _ incident: Incident) -> String? {
        role.isCommander ? item.commander : incident.assignments[role.id]
    }

    /// Every role's holder in a case (role id → user id), the commander from the case itself.
    func roleHolders(_ caseID: String, _ context: PluginContext) async throws -> [String: String] {
        guard let item = await CaseDirectory(context: context).case(id: caseID) else { return [:] }
        let incident = try await loadIncident(caseID, context)
        var holders: [String: String] = [:]
        for role in configuration.roles.roles {
            let holder = role.isCommander ? item.commander : incident?.assignments[role.id]
            if let holder { holders[role.id] = holder }
        }
        return holders
    }

    /// Posts a message after a committed change, logging instead of failing.
    @discardableResult
    func announce(_ message: Message, in channel: String, _ context: PluginContext) async -> MessageRef? {
        await context.announce(message, in: channel)
    }

    /// Sends a role's description and duties to its new holder.
    func brief(_ user: String, on role: IncidentRole, _ item: Case, _ context: PluginContext) async {
        do {
            let channel = try await context.slack.openDirectMessage(with: user)
            let text = "🎭 You are the *\(role.name)* of the incident *\(SlackText.escaped(item.title))* in \(SlackText.channel(item.channelID)).\n\(role.briefing)"
            try await context.slack.postMessage(channel: channel, Message(SlackText.truncated(text, to: 3_000)))
        } catch {
            context.logger.warning("role briefing not sent", metadata: ["user": "\(user)", "role": "\(role.id)", "error": "\(error)"])
        }
    }
}
