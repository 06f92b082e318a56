import CasebookKit

extension PagerDutyPlugin {
    struct Invite: Codable, Sendable, Equatable {
        var caseID: String
        var channelID: String
    }

    static let inviteOncall = IntegrationCall<Invite>("invite_oncall", service: RESTAPI.service)

    /// Invites the level-1 people on call who have a Slack account with the same e-mail address.
    /// A job of its own, so the escalation's critical path never waits on PagerDuty; the Slack
    /// look-ups run concurrently. Inviting someone already in the channel is harmless.
    func inviteOncallJob(_ invite: Invite, _ context: PluginContext) async throws {
        guard let api = restAPI(context) else { return }
        let levelOne = try await api.oncalls(policies: configuration.escalationPolicyIDs, schedules: configuration.scheduleIDs)
            .filter { $0.level == 1 }
        let people = await slackUsers(for: levelOne, context)
        let users = Array(Set(people.values)).sorted()
        guard !users.isEmpty else { return }
        try await context.slack.invite(channel: invite.channelID, users: users)
        try await context.audit.record(
            actor: "casebook", action: "pagerduty.oncall_invited", subject: invite.caseID,
            details: ["users": .array(users.map(JSONValue.string))])
    }

    /// Slack user ids of on-call people, by PagerDuty user id, looked up by e-mail concurrently.
    func slackUsers(for oncalls: [RESTAPI.OnCall], _ context: PluginContext) async -> [String: String] {
        await withTaskGroup(of: (String, String?).self) { group in
            for person in oncalls {
                guard let email = person.email else { continue }
                group.addTask {
                    let user = try? await context.slack.lookupUser(email: email)
                    return (person.userID, user.flatMap { $0.isBot ? nil : $0.id })
                }
            }
            var found: [String: String] = [:]
            for await (pagerDutyID, slackID) in group {
                if let slackID { found[pagerDutyID] = slackID }
            }
            return found
        }
    }

    func restAPI(_ context: PluginContext) -> RESTAPI? {
        configuration.apiToken.map { RESTAPI(baseURL: configuration.apiURL, token: $0, http: context.http) }
    }
}
