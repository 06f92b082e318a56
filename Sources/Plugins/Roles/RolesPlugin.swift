import CasebookKit
import CasesPlugin
import Postmortem

/// Roles and severities on top of the Cases plugin: severity levels and incident roles from
/// editable literature, a pinned control panel per incident, a digest channel that always shows
/// every incident, structured updates, and durable reminders that keep severe incidents updated.
///
/// The incident commander role is the Cases plugin's commander (one source of truth): assigning it
/// here goes through the Cases transfer, and this plugin follows `CommanderChanged`. Lifecycle
/// reactions (escalation, resolution, closing) are subscriptions to the Cases plugin's events, so
/// they are durable jobs; every state change commits with its audit entry, its event and its
/// reminder job in one transaction.
public struct RolesPlugin: Plugin {
    public static let id = "roles"
    public static let summary = "Severities, incident roles, a digest channel, status updates and update reminders"

    /// Exactly the methods this plugin calls; nothing that reads messages.
    public static var requirements: Requirements {
        Requirements(
            scopes: [
                "chat:write",  // chat.postMessage, chat.update, chat.delete: panel, digest, announcements, reminders
                "chat:write.public",  // the digest channel, without being invited to it
                "pins:write",  // pins.add: the control panel
                "channels:write.invites",  // conversations.invite: role holders, the RCA channel
                "channels:manage",  // conversations.create: the RCA channel
                "users:read",  // users.info: only workspace members may hold roles
                "im:write",  // conversations.open: the role briefing in a direct message
            ],
            dependencies: [CasesPlugin.id])
    }

    public static var migrations: [Migration] { Schema.migrations }

    /// The severity id of a case's incident (`sev2`), or the default severity before the incident
    /// state exists, for integrations that map it (PagerDuty's alert severity).
    public static let severityOfCase = ExtensionPoint<String, [String]>("roles.severity_of_case")
    /// Who holds which role in a case's incident (role id → user id, the commander included), for
    /// integrations whose approvers are named by role (Statuspage).
    public static let roleHolders = ExtensionPoint<String, [String: String]>("roles.role_holders")
    /// Extra buttons other plugins put on a case's control panel (Statuspage's "Status page").
    /// Each button's value should be the case id; the contributing plugin handles its action.
    public static let panelButtons = ExtensionPoint<Case, [Element]>("roles.panel_buttons")

    public let configuration: Configuration

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    public func register(_ routes: inout Routes<RolesPlugin>) {
        let severities = configuration.severities.usage
        let roles = configuration.roles.usage
        routes.command("severity", usage: "<\(severities)>", help: "Set the incident's severity (in a case channel)", use: RolesPlugin.severityCommand)
        routes.command("phase", usage: "<\(IncidentStatus.usage)>", help: "Move the incident's status along; resolved resolves the incident (in a case channel)", use: RolesPlugin.phaseCommand)
        routes.command("role", usage: "<\(roles)> @user", help: "Give someone an incident role (in a case channel)", use: RolesPlugin.roleCommand)
        routes.command("update", help: "Post a status update to the channel and the incident digest (in a case channel)", use: RolesPlugin.updateCommand)
        routes.command("silence", usage: "[duration, e.g. 1h]", help: "Commander only: pause update reminders (in a case channel)", use: RolesPlugin.silenceCommand)
        routes.command("reminders", help: "The update reminders scheduled for this incident (in a case channel)", use: RolesPlugin.remindersCommand)

        routes.blockAction(ActionID.severity, use: RolesPlugin.severitySelected)
        routes.blockAction(ActionID.status, use: RolesPlugin.statusSelected)
        routes.blockAction(ActionID.openUpdate, use: RolesPlugin.updateButton)
        for role in configuration.roles.roles {
            routes.blockAction(ActionID.assign(role.id), use: RolesPlugin.roleSelected)
            routes.blockAction(ActionID.claim(role.id), use: RolesPlugin.roleClaimed)
        }
        routes.viewSubmission(UpdateModal.callbackID, use: RolesPlugin.submitUpdate)

        routes.subscribe(CaseEscalated.self, use: RolesPlugin.escalated)
        routes.subscribe(CommanderChanged.self, use: RolesPlugin.commanderChanged)
        routes.subscribe(CaseResolved.self, use: RolesPlugin.resolved)
        routes.subscribe(CaseClosed.self, use: RolesPlugin.closed)

        routes.job(Self.remind, use: RolesPlugin.remindJob)
        routes.job(Self.syncJob, use: RolesPlugin.syncMessages)
        routes.every(.seconds(86_400), "stale_incidents", use: RolesPlugin.staleIncidents)

        routes.contribute(to: CasesPlugin.statusLines, use: RolesPlugin.statusLines)
        routes.contribute(to: Self.severityOfCase, use: RolesPlugin.severity(ofCase:_:))
        routes.contribute(to: Self.roleHolders, use: RolesPlugin.roleHolders)
        registerGauges(&routes)
        routes.contribute(to: PostmortemSources.incidentDetails, use: RolesPlugin.incidentDetails)
        registerEntryPoints(&routes)
        registerChecklist(&routes)
    }
}

/// The `action_id`s of the control panel, declared without the prefix the host gives them
/// (`severity` is `roles.severity`, `assign("comms")` is `roles.assign.comms`).
enum ActionID {
    static let severity = ActionKey<RolesPlugin>("severity")
    static let status = ActionKey<RolesPlugin>("status")
    static let openUpdate = ActionKey<RolesPlugin>("open_update")
    static func assign(_ role: String) -> ActionKey<RolesPlugin> { ActionKey("assign").appending(role) }
    static func claim(_ role: String) -> ActionKey<RolesPlugin> { ActionKey("claim").appending(role) }
    /// The role an assign or claim action id names.
    static func role(in actionID: String) -> String { String(actionID.split(separator: ".", maxSplits: 2).last ?? "") }
}
