import CasebookKit

/// The Slack steps that follow the commit of an opened case: invitations, topic, summary,
/// notification, and the opener's own first messages and announcements. The request that opened
/// the case does them at once, concurrently (the second round trip of `/case open`); the job
/// `assemble_war_room`, scheduled in the case's own transaction, completes whatever that attempt
/// did not confirm — after a failure at once, after a crash at its hand-off time.
extension CasesPlugin {
    /// What the job needs besides the case row.
    struct WarRoomAssembly: Codable, Sendable, Equatable {
        var caseID: String
        var invitees: [String]
        /// The request's `channelMessages`, as `chat.postMessage` bodies (`text`, `blocks`).
        var channelMessages: [JSONValue]
        var announceIn: [String]
    }

    static let assembleWarRoom = JobKey<WarRoomAssembly>("assemble_war_room")

    static func warRoomKey(_ caseID: String) -> String { "war_room:\(caseID)" }

    /// The steps in this order: invite, topic, summary, notification, then each channel message and
    /// each announcement (``openCase(_:_:)`` reads its results by these positions).
    func assemblySteps(_ item: Case, _ plan: WarRoomAssembly, now: Date, _ context: PluginContext) -> [SideEffect] {
        let channel = item.channelID
        let caseID = item.id
        let notificationsChannel = configuration.notificationsChannel
        var steps = [
            SideEffect(step: "open.invite", what: "invite \(plan.invitees.map(SlackText.user).joined(separator: ", "))") {
                if !plan.invitees.isEmpty { try await context.slack.invite(channel: channel, users: plan.invitees) }
                return nil
            },
            SideEffect(step: "open.topic", what: "set the topic") {
                try await context.slack.setTopic(channel: channel, self.channelTopic(for: item))
                return nil
            },
            SideEffect(step: "open.summary", what: "post the case summary") {
                let ref = try await context.slack.postMessage(channel: channel, SummaryMessage.make(item, now: now))
                await self.remember(context, caseID) { db in try await SideEffectStore.setSummary(caseID: caseID, ref, on: db) }
                return ref
            },
            SideEffect(step: "open.notification", what: "post the notification in <#\(notificationsChannel)>") {
                let ref = try await context.slack.postMessage(channel: notificationsChannel, NotificationMessage.make(item, now: now))
                await self.remember(context, caseID) { db in try await SideEffectStore.setNotification(caseID: caseID, ref, on: db) }
                return ref
            },
        ]
        for (index, body) in plan.channelMessages.enumerated() {
            steps.append(SideEffect(step: "open.message.\(index)", what: "post a message here") {
                try await Self.post(body, in: channel, context)
            })
        }
        for (index, target) in plan.announceIn.enumerated() {
            steps.append(SideEffect(step: "open.announce.\(index)", what: "post the notification in <#\(target)>") {
                try await context.slack.postMessage(channel: target, NotificationMessage.make(item, now: now))
            })
        }
        return steps
    }

    /// The job: the case as it is now (it may have moved on; its summary then shows where it
    /// stands), and only the steps not recorded yet. Nothing is left to do once it is closed.
    func assembleWarRoomJob(_ plan: WarRoomAssembly, _ context: PluginContext) async throws {
        let caseID = plan.caseID
        guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }), item.status != .closed
        else { return }
        try await complete(assemblySteps(item, plan, now: context.clock.now(), context), of: item, context)
    }

    /// Posts a stored message body.
    static func post(_ body: JSONValue, in channel: String, _ context: PluginContext) async throws -> MessageRef {
        var arguments = body.object ?? [:]
        arguments["channel"] = .string(channel)
        let response = try await context.slack.call("chat.postMessage", arguments)
        return MessageRef(channel: response["channel"]?.string ?? channel, ts: response["ts"]?.string ?? "")
    }

    /// Writes where a posted message is; a failure is logged (the message exists either way).
    func remember(_ context: PluginContext, _ caseID: String, _ write: @Sendable (any SQLDatabase) async throws -> Void) async {
        do {
            try await context.storage.read { db in try await write(db) }
        } catch {
            context.logger.error("a posted message's place was not stored", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }
}
