import CasebookKit
import CasesPlugin
import RolesPlugin

/// PagerDuty with the incident: `/case incident` triggers an alert, severity changes follow it,
/// `/case resolve` resolves it — one Events API v2 dedup key per case, no extra commands. With a
/// REST API token, `/case oncall` says who is on call, `/case page` pages a service into the
/// incident, and `invite_oncall` brings the first responders into the channel.
///
/// Every call to PagerDuty is a durable integration call: the Slack ack never waits on it, an
/// outage delays it, a retry never pages twice, and a final failure is told to the case channel once.
public struct PagerDutyPlugin: Plugin {
    public static let id = "pagerduty"
    public static let summary = "PagerDuty incidents that follow the case, who is on call, paging a service into the incident"

    /// `chat:write` for the channel messages; the rest only for the features that use them.
    public static var requirements: Requirements {
        Requirements(scopes: ["chat:write"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["routing_key"])
    }

    public static func requirements(for configuration: Configuration) -> Requirements {
        var requirements = requirements
        if configuration.apiToken != nil {
            requirements.scopes.insert("users:read")  // users.info: the paging user's e-mail for PagerDuty's From header
            requirements.scopes.insert("users:read.email")  // users.lookupByEmail: on-call people → Slack mentions
            if configuration.inviteOncall { requirements.scopes.insert("channels:write.invites") }  // conversations.invite
        }
        return requirements
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    public func register(_ routes: inout Routes<PagerDutyPlugin>) {
        routes.command("oncall", help: "Who is on call in PagerDuty now", use: PagerDutyPlugin.oncall)
        routes.command("page", usage: "<service name or id> [message]", help: "Page a PagerDuty service into this incident (in a case channel)", use: PagerDutyPlugin.pageCommand)
        routes.subscribe(CaseEscalated.self, use: PagerDutyPlugin.escalated)
        routes.subscribe(CaseResolved.self, use: PagerDutyPlugin.resolved)
        routes.subscribe(CaseClosed.self, use: PagerDutyPlugin.closed)
        routes.subscribe(SeverityChanged.self, use: PagerDutyPlugin.severityChanged)
        routes.integration(Self.sync, use: PagerDutyPlugin.syncAlert)
        routes.integration(Self.inviteOncall, use: PagerDutyPlugin.inviteOncallJob)
        routes.integration(Self.page, use: PagerDutyPlugin.pageJob)
        routes.job(Self.answerOncall, use: PagerDutyPlugin.answerOncallJob)
        routes.contribute(to: CasesPlugin.statusLines, use: PagerDutyPlugin.statusLines)
        routes.contribute(to: Self.firstResponders) { plugin, _, context in try await plugin.firstResponders(context) }
    }
}
