import CasebookKit
import CasesPlugin

/// "Is it us or them?": the public status of the vendors an incident may depend on (GitHub,
/// Cloudflare, Heroku, Slack, …) in Slack — `/case vendors` on demand, a snapshot of the ones in
/// trouble when a case is escalated, and a watch that tells each change once.
///
/// Every provider is read with one GET bounded by `timeout` and no retry, all at once, so one slow
/// or broken status page reads "status unknown" and never holds up the others; nothing waits on a
/// provider in a Slack ack or on the escalation's path (durable jobs do the reading).
public struct StatusProvidersPlugin: Plugin {
    public static let id = "status_providers"
    public static let summary = "Vendor status pages in the incident: snapshots on demand and on escalation, and a watch that posts changes"

    /// `chat:write` for snapshots and watch posts. On under `enabled: auto` when `providers` is non-empty.
    public static var requirements: Requirements {
        Requirements(scopes: ["chat:write"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["providers"])
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration
    let reader: StatusReader

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
        reader = StatusReader(timeout: configuration.timeout.duration)
    }

    public func register(_ routes: inout Routes<StatusProvidersPlugin>) {
        routes.command("vendors", help: "The public status of the watched vendors (GitHub, Cloudflare, …)", use: StatusProvidersPlugin.vendorsCommand)
        routes.blockAction(ActionID.refresh, use: StatusProvidersPlugin.refreshButton)
        routes.job(Self.deliverSnapshot, use: StatusProvidersPlugin.deliverSnapshotJob)
        routes.job(Self.refreshSnapshot, use: StatusProvidersPlugin.refreshSnapshotJob)
        routes.subscribe(CaseEscalated.self, use: StatusProvidersPlugin.escalated)
        routes.job(Self.escalationSnapshot, use: StatusProvidersPlugin.escalationSnapshotJob)
        routes.every(configuration.pollEvery.duration, "watch") { plugin, _, context in try await plugin.watch(context) }
        routes.contribute(to: CasesPlugin.statusLines) { plugin, _, context in try await plugin.statusLines(context) }
    }
}
