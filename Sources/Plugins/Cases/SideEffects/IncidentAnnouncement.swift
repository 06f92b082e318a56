import CasebookKit

/// The Slack steps that follow the commit of an escalation: the message in the case channel, the
/// notification and the response group's invitations. Done by the escalating request at once; the
/// job `announce_incident`, scheduled with the escalation, completes what that attempt did not
/// confirm. (The summary's refresh is the idempotent `refresh_messages` job, scheduled alike.)
extension CasesPlugin {
    struct IncidentAnnouncement: Codable, Sendable, Equatable {
        /// The case right after the escalation: the messages tell of that moment.
        var `case`: Case
        var actor: String
        var leavingCommandOpen: Bool
    }

    static let announceIncident = JobKey<IncidentAnnouncement>("announce_incident")

    static func incidentKey(_ caseID: String) -> String { "incident:\(caseID)" }

    func announcementSteps(_ plan: IncidentAnnouncement, _ context: PluginContext) -> [SideEffect] {
        let escalated = plan.case
        let inChannelMessage = plan.leavingCommandOpen
            ? Self.commandOpenMessage(escalated)
            : Message("🚨 \(SlackText.user(plan.actor)) escalated this investigation to an incident and is the incident commander.")
        let commander = escalated.commander.map { "commander \(SlackText.user($0))" } ?? "no commander yet"
        let notificationsChannel = configuration.notificationsChannel
        return [
            SideEffect(step: "incident.message", what: "announce the incident here") {
                try await context.slack.postMessage(channel: escalated.channelID, inChannelMessage)
            },
            SideEffect(step: "incident.notification", what: "announce the incident in <#\(notificationsChannel)>") {
                try await context.slack.postMessage(
                    channel: notificationsChannel, Message("🚨 \(escalated.publicChannel) *\(SlackText.escaped(escalated.publicTitle))* is now an incident — \(commander)."))
            },
            // Reports its own failure in the channel (people add the group by hand), so it never throws.
            SideEffect(step: "incident.responders", what: "invite the response group") {
                await self.inviteResponseGroup(to: escalated, context)
                return nil
            },
        ]
    }

    func announceIncidentJob(_ plan: IncidentAnnouncement, _ context: PluginContext) async throws {
        let caseID = plan.case.id
        guard let current = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }), current.status != .closed
        else { return }
        try await complete(announcementSteps(plan, context), of: current, context)
    }
}
