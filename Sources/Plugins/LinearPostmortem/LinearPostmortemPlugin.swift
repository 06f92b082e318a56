import CasebookKit
import CasesPlugin
import Postmortem

/// A postmortem draft in Linear for every resolved incident: `issueCreate` in the configured team
/// (and project), titled "Postmortem: <case title>", its Markdown description rendered from what
/// Casebook recorded about the case, prioritised by severity, labelled and due when configured.
/// `/case postmortem` asks for it at any time; a case never gets two.
///
/// The call is a durable integration call: the Slack ack never waits on Linear, the issue's id is
/// chosen and stored before the first attempt (a retry or a restart cannot make a duplicate),
/// `RATELIMITED` waits for Linear's reset, and a refusal is told to the case channel once.
public struct LinearPostmortemPlugin: Plugin {
    public static let id = "linear"
    public static let summary = "A Linear postmortem issue for every resolved incident, written from the incident's own record"

    /// `chat:write` for the channel messages, `users:read` for people's names in the postmortem.
    /// On under `enabled: auto` when the key and the team are set.
    public static var requirements: Requirements {
        Requirements(scopes: ["chat:write", "users:read"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["api_key", "team_id"])
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration
    /// What postmortem issues are written with (``Configuration/resolvedTemplate()``).
    let template: PostmortemTemplate

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
        template = try configuration.resolvedTemplate()
    }

    public func register(_ routes: inout Routes<LinearPostmortemPlugin>) {
        routes.command("postmortem", help: "Create this case's postmortem issue in Linear (once per case; later it links the issue)", use: LinearPostmortemPlugin.postmortemCommand)
        routes.subscribe(CaseResolved.self, use: LinearPostmortemPlugin.resolved)
        routes.integration(Self.createIssue, use: LinearPostmortemPlugin.createIssueJob)
        routes.contribute(to: CasesPlugin.statusLines, use: LinearPostmortemPlugin.statusLines)
    }
}
