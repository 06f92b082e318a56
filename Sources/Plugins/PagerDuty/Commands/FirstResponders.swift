import CasebookKit

extension PagerDutyPlugin {
    /// The Slack user ids of the level-1 people on call now (for the configured escalation
    /// policies and schedules), for plugins that need someone to take command — an alert's
    /// incident, say. Answers `[]` without an API token or when nobody on call has a Slack account.
    public static let firstResponders = ExtensionPoint<FirstRespondersQuery, [String]>("pagerduty.first_responders")

    func firstResponders(_ context: PluginContext) async throws -> [String] {
        guard let api = restAPI(context) else { return [] }
        let levelOne = try await api.oncalls(policies: configuration.escalationPolicyIDs, schedules: configuration.scheduleIDs)
            .filter { $0.level == 1 }
        let slack = await slackUsers(for: levelOne, context)
        // In PagerDuty's order (policy, then name), each person once.
        var seen = Set<String>()
        return levelOne.compactMap { slack[$0.userID] }.filter { seen.insert($0).inserted }
    }
}

/// Input of ``PagerDutyPlugin/firstResponders``.
public struct FirstRespondersQuery: Sendable, Equatable {
    public init() {}
}
