import CasebookKit
import CasesPlugin
import RolesPlugin

/// Customer-facing updates on Atlassian Statuspage that nobody can publish without an approver
/// (by default the incident commander) clicking "Approve & publish".
///
/// The gate is the kit's approval primitive: drafts are approvals; approving re-reads the approval
/// and compares the content hash in the transaction that queues the publish call; the call reaches
/// Statuspage only through `approvals.execute`, in the one function that writes incidents
/// (`Publishing/Publisher.swift`, guarded by a test that reads the source tree). The plugin follows
/// the incident with prefilled drafts and never publishes on its own.
public struct StatuspagePlugin: Plugin {
    public static let id = "statuspage"
    public static let summary = "Statuspage incidents from approved drafts: nothing is published without the commander's approval"

    /// `chat:write` for the draft messages; modals need no scope. On under `enabled: auto` when
    /// both the API key and the page id are set.
    public static var requirements: Requirements {
        Requirements(scopes: ["chat:write"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["api_key", "page_id"])
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    public func register(_ routes: inout Routes<StatuspagePlugin>) {
        routes.command("statuspage", help: "Draft a status page update for approval (in an incident channel)", use: StatuspagePlugin.draftCommand)
        routes.blockAction(ActionID.openDraft, use: StatuspagePlugin.draftButton)
        routes.blockAction(ActionID.approve, use: StatuspagePlugin.approveButton)
        routes.blockAction(ActionID.edit, use: StatuspagePlugin.editButton)
        routes.blockAction(ActionID.discard, use: StatuspagePlugin.discardButton)
        routes.viewSubmission(DraftModal.callbackID, use: StatuspagePlugin.submitDraft)

        routes.job(Self.fillComponents, use: StatuspagePlugin.fillComponentsJob)
        routes.integration(Self.publish, use: StatuspagePlugin.publishJob)

        routes.subscribe(IncidentStatusChanged.self, use: StatuspagePlugin.statusChanged)
        routes.subscribe(CaseResolved.self, use: StatuspagePlugin.resolved)

        routes.contribute(to: CasesPlugin.statusLines, use: StatuspagePlugin.statusLines)
        routes.contribute(to: RolesPlugin.panelButtons) { _, item, _ in
            [.button("📣 Status page", actionID: ActionID.openDraft.wire, value: item.id)]
        }
    }
}
