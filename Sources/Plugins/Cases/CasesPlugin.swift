import CasebookKit

/// Case lifecycle: open → investigate → incident → resolve → close, with a channel per case,
/// evidence kept as links, statistics and a CSV export.
///
/// Every state change runs in one storage transaction together with its audit entry and its domain
/// event (outbox); Slack side effects follow the commit, concurrently where they are independent,
/// and a job scheduled in that transaction completes any the request did not confirm (`SideEffects/`).
/// Other plugins read and act on cases through the extension points declared in
/// `CaseDirectory.swift`, answered here with this plugin's own storage and Slack scopes.
public struct CasesPlugin: Plugin {
    public static let id = "cases"
    public static let summary = "Investigations and incidents in dedicated channels: evidence, escalation, stats, export"

    /// Least privilege: exactly the methods this plugin calls, and never a scope that reads messages.
    public static var requirements: Requirements {
        Requirements(
            scopes: [
                "channels:manage",  // conversations.create, conversations.archive
                "channels:read",  // conversations.members, member_joined_channel
                "channels:write.invites",  // conversations.invite
                "channels:write.topic",  // conversations.setTopic
                "chat:write",  // chat.postMessage, chat.update
                "chat:write.public",  // posting in notifications_channel without being invited
                "usergroups:read",  // usergroups.users.list for response_group
                "users:read",  // users.info for /case transfer
                "files:write",  // files.getUploadURLExternal / completeUploadExternal for /case export
                "im:write",  // conversations.open: the export goes to the requester's DM
            ],
            events: ["member_joined_channel"])
    }

    /// What this configuration needs besides ``requirements``: reactions with `react_to_open`,
    /// bookmarks with `bookmarks`, the Home tab and `app_home_opened` with `home_tab: true`.
    public static func requirements(for configuration: Configuration) -> Requirements {
        var needs = requirements
        if configuration.reactToOpen != nil {
            needs.scopes.insert("reactions:read")  // the reaction_added event
            needs.events.insert("reaction_added")
        }
        needs.scopes.formUnion(configuration.furnitureScopes)
        addHomeTab(to: &needs, configuration)
        if configuration.allowPrivate { needs.scopes.formUnion(privateCaseScopes) }  // private case channels
        return needs
    }

    public static var migrations: [Migration] { Schema.migrations }

    public let configuration: Configuration

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    public func register(_ routes: inout Routes<CasesPlugin>) {
        routes.group(allowedWorkspaces) { routes in
            routes.command("open", usage: configuration.allowPrivate ? "[--private] <description>" : "<description>", help: "Open an investigation with its own channel", use: CasesPlugin.open)
            routes.command("list", help: "Active investigations and incidents", use: CasesPlugin.list)
            routes.command("status", help: "Where this case stands (in a case channel)", use: CasesPlugin.status)
            routes.command("incident", help: "Escalate this investigation to an incident; you become commander (in a case channel)", use: CasesPlugin.incident)
            routes.command("transfer", usage: "@user", help: "Hand incident command to someone else (in a case channel)", use: CasesPlugin.transfer)
            routes.command("resolve", help: "Resolve the incident; the investigation stays open (in a case channel)", use: CasesPlugin.resolve)
            routes.command("close", help: "Close the investigation and archive its channel (in a case channel)", use: CasesPlugin.close)
            routes.command("stats", help: "Open cases, the last 7 days, time to close, MTTR, escalation rate", use: CasesPlugin.stats)
            routes.command("export", help: "Every case as a CSV file, sent to you in a direct message", use: CasesPlugin.export)
            routes.command("jobs", help: "Pending and dead jobs of every plugin, with Retry (workspace admins)", use: CasesPlugin.jobs)

            routes.blockAction(ActionID.escalate, use: CasesPlugin.escalateButton)
            routes.blockAction(ActionID.resolve, use: CasesPlugin.resolveButton)
            routes.blockAction(ActionID.close, use: CasesPlugin.closeButton)
            routes.blockAction(ActionID.takeCommand, use: CasesPlugin.takeCommandButton)
            routes.blockAction(ActionID.confirmClose, use: CasesPlugin.confirmCloseButton)
            routes.blockAction(ActionID.retryJob, use: CasesPlugin.retryJobButton)
            routes.blockAction(ActionID.retryAnyJob, use: CasesPlugin.retryAnyJobButton)

            // The one id without the plugin's prefix: configurable, `collect_evidence` by default.
            routes.messageShortcut(
                .unprefixed(configuration.evidenceShortcut), name: "Collect Evidence", description: "Link this message to an active case", use: CasesPlugin.collectEvidence)
            routes.viewSubmission(EvidenceModal.callbackID, use: CasesPlugin.submitEvidence)
        }

        routes.event("member_joined_channel", use: CasesPlugin.memberJoined)
        routes.job(Self.refreshMessages, use: CasesPlugin.refreshMessagesJob)

        registerDirectory(&routes)
        registerGauges(&routes)
        registerStart(&routes)
        registerReactToOpen(&routes)
        registerFurniture(&routes)
        registerHome(&routes)
        registerSideEffects(&routes)
    }
}
