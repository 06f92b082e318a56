import CasebookKit
import CasesPlugin
import Postmortem

/// An RCA page in Confluence for every incident, written from the incident's own record (the
/// ``Postmortem`` document: timeline, roles, severity, updates, evidence links) through a
/// storage-format template teams edit.
///
/// Created on resolve (`on_resolve`) and on `/case rca`, once per case: the page is a durable
/// integration call that survives restarts and outages; a retry or a second request finds the
/// recorded page, or the page by its title, instead of creating another. The link goes to the
/// case channel, the RCA channel when there is one, `/case status` and the timeline.
public struct ConfluenceRCAPlugin: Plugin {
    public static let id = "confluence"
    public static let summary = "A Confluence RCA page per incident, from its timeline, roles, severity and updates"

    /// `chat:write` for the link in the case and RCA channels; `users:read` so people appear by
    /// their Slack names. On under `enabled: auto` when the site, credentials, space and parent are set.
    public static var requirements: Requirements {
        Requirements(
            scopes: ["chat:write", "users:read"], dependencies: [CasesPlugin.id],
            requiredConfigKeys: ["base_url", "username", "api_token", "space", "parent_page"])
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration
    /// What RCA pages are written with (``Configuration/resolvedTemplate()``).
    let template: PostmortemTemplate

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
        template = try configuration.resolvedTemplate()
    }

    public func register(_ routes: inout Routes<ConfluenceRCAPlugin>) {
        routes.command("rca", help: "Create the incident's RCA page in Confluence, or link the one there is (in a case channel)", use: ConfluenceRCAPlugin.rcaCommand)
        routes.integration(Self.createPage, use: ConfluenceRCAPlugin.createPageJob)
        routes.job(Self.announceInRCAChannel, use: ConfluenceRCAPlugin.announceInRCAChannelJob)
        routes.subscribe(CaseResolved.self, use: ConfluenceRCAPlugin.resolved)
        routes.contribute(to: CasesPlugin.statusLines, use: ConfluenceRCAPlugin.statusLines)
    }
}
