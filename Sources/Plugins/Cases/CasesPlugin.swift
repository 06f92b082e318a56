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
        routes.command("open", usage: configuration.allowPrivate ? "[--private] <description>" : "<description>", help: "Open an investigation with its own channel") { plugin, command, context in
            try await plugin.open(command, context)
        }
        routes.command("list", help: "Active investigations and incidents") { plugin, command, context in
            try await plugin.list(command, context)
        }
        routes.command("status", help: "Where this case stands (in a case channel)") { plugin, command, context in
            try await plugin.status(command, context)
        }
        routes.command("incident", help: "Escalate this investigation to an incident; you become commander (in a case channel)") {
            plugin, command, context in
            try await plugin.incident(command, context)
        }
        routes.command("transfer", usage: "@user", help: "Hand incident command to someone else (in a case channel)") {
            plugin, command, context in
            try await plugin.transfer(command, context)
        }
        routes.command("resolve", help: "Resolve the incident; the investigation stays open (in a case channel)") {
            plugin, command, context in
            try await plugin.resolve(command, context)
        }
        routes.command("close", help: "Close the investigation and archive its channel (in a case channel)") { plugin, command, context in
            try await plugin.close(command, context)
        }
        routes.command("stats", help: "Open cases, the last 7 days, time to close, MTTR, escalation rate") { plugin, command, context in
            try await plugin.stats(command, context)
        }
        routes.command("export", help: "Every case as a CSV file, sent to you in a direct message") { plugin, command, context in
            try await plugin.export(command, context)
        }
        routes.command("jobs", help: "Pending and dead jobs of every plugin, with Retry (workspace admins)") { plugin, command, context in
            try await plugin.jobs(command, context)
        }

        routes.blockAction(ActionID.escalate) { plugin, action, context in try await plugin.escalateButton(action, context) }
        routes.blockAction(ActionID.resolve) { plugin, action, context in try await plugin.resolveButton(action, context) }
        routes.blockAction(ActionID.close) { plugin, action, context in try await plugin.closeButton(action, context, confirmed: false) }
        routes.blockAction(ActionID.takeCommand) { plugin, action, context in try await plugin.takeCommandButton(action, context) }
        routes.blockAction(ActionID.confirmClose) { plugin, action, context in try await plugin.closeButton(action, context, confirmed: true) }
        routes.blockAction(ActionID.retryJob) { plugin, action, context in try await plugin.retryJobButton(action, context) }
        routes.blockAction(ActionID.retryAnyJob) { plugin, action, context in try await plugin.retryAnyJobButton(action, context) }

        routes.messageShortcut(
            configuration.evidenceShortcut, name: "Collect Evidence", description: "Link this message to an active case"
        ) { plugin, shortcut, context in
            try await plugin.collectEvidence(shortcut, context)
        }
        routes.viewSubmission(EvidenceModal.callbackID) { plugin, submission, context in
            try await plugin.submitEvidence(submission, context)
        }

        routes.event("member_joined_channel") { plugin, event, context in try await plugin.memberJoined(event, context) }
        routes.job(Self.refreshMessages) { plugin, payload, context in try await plugin.refreshMessagesJob(payload, context) }

        registerDirectory(&routes)
        registerGauges(&routes)
        registerStart(&routes)
        registerReactToOpen(&routes)
        registerFurniture(&routes)
        registerHome(&routes)
        registerSideEffects(&routes)
    }
}
