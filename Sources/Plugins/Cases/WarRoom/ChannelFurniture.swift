import CasebookKit

/// The war room's furniture, kept by reacting to the case's own events with durable jobs rather
/// than by the commands: the topic follows the case (`topic`), and the configured links are
/// bookmarked once per case (`bookmarks`). `invite_on_open` is part of opening itself (`Open.swift`).
extension CasesPlugin {
    /// One bookmark to add to one case channel: a job of its own, so a retry never adds the others again.
    struct BookmarkToAdd: Codable, Sendable, Equatable {
        var caseID: String
        var channelID: String
        var bookmark: ChannelBookmark
    }

    static let addBookmark = JobKey<BookmarkToAdd>("add_bookmark")

    /// Attempts at catching up when the case moves on while its topic is being set.
    static let topicRounds = 3

    /// Opening sets the first topic itself (``channelTopic(for:)``); each later change is followed here.
    func registerFurniture(_ routes: inout Routes<CasesPlugin>) {
        if configuration.topic != nil {
            routes.subscribe(CaseEscalated.self, use: CasesPlugin.keepTopicCurrent)
            routes.subscribe(CommanderChanged.self, use: CasesPlugin.keepTopicCurrent)
            routes.subscribe(CaseResolved.self, use: CasesPlugin.keepTopicCurrent)
            routes.subscribe(CaseClosed.self, use: CasesPlugin.keepTopicCurrent)
        }
        if !configuration.bookmarks.isEmpty {
            routes.subscribe(CaseOpened.self, use: CasesPlugin.scheduleBookmarks)
        }
        routes.job(Self.addBookmark, use: CasesPlugin.addBookmarkJob)
    }

    /// Sets the topic the case has now, read from storage rather than from the event, so events
    /// delivered late or out of order still leave the newest topic. The channel's current topic is
    /// the record of what was set: an unchanged topic is not set again (each change posts a line in
    /// the channel). When the case moved on meanwhile, another round catches up with it.
    func keepTopicCurrent<Event: CaseLifecycleEvent>(_ event: Event, _ context: PluginContext) async throws {
        try await keepTopicCurrent(event.case.id, context)
    }

    func keepTopicCurrent(_ caseID: String, _ context: PluginContext) async throws {
        for _ in 0..<Self.topicRounds {
            guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) else { return }
            let wanted = channelTopic(for: item)
            let channel = try await context.slack.channelInfo(item.channelID)
            if channel.isArchived { return }
            if Self.unescaped(channel.topic) != wanted {
                do {
                    try await context.slack.setTopic(channel: item.channelID, wanted)
                } catch let error as SlackAPIError where error.code == "is_archived" {
                    return  // closed and archived meanwhile: nobody reads that topic any more
                }
            }
            let now = try await context.storage.read { db in try await CaseStore.find(id: caseID, on: db) }
            if now.map(channelTopic) == wanted { return }
        }
    }

    /// Slack hands a topic back with `&`, `<` and `>` as entities.
    static func unescaped(_ topic: String) -> String {
        topic.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Schedules one job per bookmark, once per case however often the event is delivered: the
    /// delivery log and the jobs commit together.
    func scheduleBookmarks(_ event: CaseOpened, _ context: PluginContext) async throws {
        try await scheduleBookmarks(event.case, context)
    }

    func scheduleBookmarks(_ item: Case, _ context: PluginContext) async throws {
        let bookmarks = configuration.bookmarks
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            guard try await tx.deliveries.firstSeen("bookmarks:\(item.id)") else { return }
            for (index, bookmark) in bookmarks.enumerated() {
                try await tx.jobs.schedule(
                    Self.addBookmark, BookmarkToAdd(caseID: item.id, channelID: item.channelID, bookmark: bookmark), at: now,
                    dedupeKey: "bookmark:\(item.id):\(index)")
            }
        }
    }

    /// Adds one bookmark; retried with backoff while Slack fails. A channel archived meanwhile
    /// needs none; a link Slack refuses will not be accepted on a retry either.
    func addBookmarkJob(_ request: BookmarkToAdd, _ context: PluginContext) async throws {
        do {
            try await context.slack.addBookmark(channel: request.channelID, title: request.bookmark.title, link: request.bookmark.url)
        } catch let error as SlackAPIError where ["is_archived", "channel_not_found"].contains(error.code) {
            context.logger.info("bookmark not added: the channel is gone", metadata: ["case": "\(request.caseID)", "error": "\(error)"])
        } catch let error as SlackAPIError where ["invalid_link", "invalid_title", "too_many_bookmarks", "permission_denied"].contains(error.code) {
            throw PermanentJobFailure("Slack refused the bookmark '\(request.bookmark.title)' (\(error.code))")
        }
    }
}
