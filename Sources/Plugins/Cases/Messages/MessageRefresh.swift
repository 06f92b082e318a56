import CasebookKit

/// Keeps the summary and the notification in step with the case. Updated right after each change;
/// an update that fails is handed to a durable job, which retries with backoff, so a Slack hiccup
/// never leaves a message showing a stale state for good.
extension CasesPlugin {
    public struct RefreshMessages: Codable, Sendable, Equatable {
        public var caseID: String
        public init(caseID: String) { self.caseID = caseID }
    }

    static let refreshMessages = JobKey<RefreshMessages>("refresh_messages")

    /// Updates both messages concurrently; on failure schedules the retry job.
    func refreshMessages(_ item: Case, _ context: PluginContext) async {
        do {
            try await updateMessages(item, context)
        } catch {
            context.logger.warning("case messages not updated; retrying as a job", metadata: ["case": "\(item.id)", "error": "\(error)"])
            do {
                try await context.jobs.schedule(
                    Self.refreshMessages, RefreshMessages(caseID: item.id), at: context.clock.now(), dedupeKey: "refresh:\(item.id)")
            } catch {
                context.logger.error("could not schedule the message refresh", metadata: ["case": "\(item.id)", "error": "\(error)"])
            }
        }
    }

    func updateMessages(_ item: Case, _ context: PluginContext) async throws {
        let now = context.clock.now()
        async let summary: Void = update(item.summary, SummaryMessage.make(item, now: now), context)
        async let notification: Void = update(item.notification, NotificationMessage.make(item, now: now), context)
        try await summary
        try await notification
    }

    private func update(_ ref: MessageRef?, _ message: Message, _ context: PluginContext) async throws {
        guard let ref else { return }
        try await context.slack.updateMessage(ref, message)
    }

    /// The job: re-reads the case (it may have moved on since) and updates both messages.
    func refreshMessagesJob(_ payload: RefreshMessages, _ context: PluginContext) async throws {
        guard let item = try await context.storage.read({ db in try await CaseStore.find(id: payload.caseID, on: db) }) else { return }
        try await updateMessages(item, context)
    }

    /// Posts a message, logging instead of failing: used for announcements after a committed change,
    /// where the change must not be reported as failed because a message did not go out.
    @discardableResult
    func announce(_ message: Message, in channel: String, _ context: PluginContext) async -> MessageRef? {
        await context.announce(message, in: channel)
    }
}
