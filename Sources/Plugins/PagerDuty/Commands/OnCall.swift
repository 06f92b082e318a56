import CasebookKit

extension PagerDutyPlugin {
    /// A `/case oncall` waiting for PagerDuty's answer.
    struct OnCallQuestion: Codable, Sendable, Equatable {
        var responseURL: String
        var user: String
    }

    static let answerOncall = JobKey<OnCallQuestion>("answer_oncall")

    /// `/case oncall`: acks at once ("asking…"); a job asks PagerDuty and answers through the
    /// command's `response_url`, so the ack never waits on PagerDuty.
    func oncall(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        guard configuration.apiToken != nil else { return .ephemeral(Self.restNotConfigured(for: "see who is on call")) }
        guard let responseURL = command.responseURL else { throw UserFacingError("Slack sent this command without a response URL; try again.") }
        try await context.jobs.schedule(Self.answerOncall, OnCallQuestion(responseURL: responseURL, user: command.userID), at: context.clock.now())
        return .ephemeral("Asking PagerDuty who is on call…")
    }

    func answerOncallJob(_ question: OnCallQuestion, _ context: PluginContext) async throws {
        let message: Message
        if let api = restAPI(context) {
            do {
                let oncalls = try await api.oncalls(policies: configuration.escalationPolicyIDs, schedules: configuration.scheduleIDs)
                message = Self.oncallMessage(oncalls, slackUsers: await slackUsers(for: oncalls, context))
            } catch let error as IntegrationError {
                message = Message("PagerDuty could not say who is on call: \(error.pagerDutyMessage).")
            }
        } else {
            message = Message(Self.restNotConfigured(for: "see who is on call"))
        }
        try await context.respond(to: question.responseURL, message)
    }

    /// One line per escalation level: names, and a mention where a Slack account has the same e-mail.
    static func oncallMessage(_ oncalls: [RESTAPI.OnCall], slackUsers: [String: String]) -> Message {
        guard !oncalls.isEmpty else { return Message("Nobody is on call in PagerDuty for the configured escalation policies and schedules.") }
        var lines: [String] = []
        var policy: String?
        for level in Dictionary(grouping: oncalls, by: { "\($0.policy)\u{0}\($0.level)" }).values
            .sorted(by: { ($0[0].policy, $0[0].level) < ($1[0].policy, $1[0].level) }) {
            let first = level[0]
            if first.policy != policy {
                lines.append("*\(SlackText.escaped(first.policy))*")
                policy = first.policy
            }
            let people = level.map { person in
                let name = SlackText.escaped(person.name)
                return slackUsers[person.userID].map { "\(name) (<@\($0)>)" } ?? name
            }
            lines.append("• Level \(first.level): \(people.joined(separator: ", "))")
        }
        let text = "On call now:\n" + lines.joined(separator: "\n")
        return Message(text) { Block.section(text) }
    }

    static func restNotConfigured(for purpose: String) -> String {
        "To \(purpose), Casebook needs PagerDuty's REST API: set `plugins.pagerduty.config.api_token` "
            + "(for example `${PAGERDUTY_API_TOKEN}`, a REST API key) and restart Casebook."
    }
}
