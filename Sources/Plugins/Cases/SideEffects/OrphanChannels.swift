import CasebookKit

/// Channels made for a case that was never recorded: the process died (or the commit failed)
/// between `conversations.create` and the case's transaction.
///
/// Before each `conversations.create`, the intent — the new case's id and every name tried — is
/// stored as the job `reconcile_channel`, due ``orphanGrace`` later. The transaction that records
/// the case cancels it (and refuses to commit if it already started, so the two never disagree).
/// When it runs, the case does not exist: it finds a channel of one of those names that the bot
/// created and no case owns, says why in it, and archives it. It does not adopt the channel: the
/// person or job that asked was told the opening failed (or never heard back) and opens again,
/// so adopting would make a second case of the same thing.
extension CasesPlugin {
    struct ChannelIntent: Codable, Sendable, Equatable {
        var caseID: String
        /// Every name tried for the case's channel, in order.
        var names: [String]
    }

    static let reconcileChannel = JobKey<ChannelIntent>("reconcile_channel")
    /// Longer than any opening takes, so the check never races a slow but live one.
    static let orphanGrace: TimeInterval = 300

    static func orphanKey(_ caseID: String) -> String { "orphan:\(caseID)" }

    /// Stores the intent before a name is tried (replacing the pending one with the longer list).
    func recordIntent(_ intent: ChannelIntent, _ context: PluginContext) async throws {
        try await context.jobs.schedule(
            Self.reconcileChannel, intent, at: context.clock.now().addingTimeInterval(Self.orphanGrace), dedupeKey: Self.orphanKey(intent.caseID))
    }

    /// The job: archives the orphan, if there is one.
    func reconcileChannelJob(_ intent: ChannelIntent, _ context: PluginContext) async throws {
        let caseID = intent.caseID
        if try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) != nil { return }
        let bot = context.installation.botUserID
        for channel in try await channels(named: Set(intent.names), createdBy: bot, context) {
            let id = channel
            guard try await context.storage.read({ db in try await CaseStore.find(channel: id, on: db) }) == nil else { continue }
            try await archiveOrphan(id, caseID: caseID, context)
        }
    }

    /// Says why, then archives. Also used when the commit itself fails right after the channel was made.
    func archiveOrphan(_ channel: String, caseID: String, _ context: PluginContext) async throws {
        await announce(Self.orphanNotice(context), in: channel, context)
        try await context.slack.archive(channel: channel)
        context.logger.notice("archived a channel whose case was never opened", metadata: ["case": "\(caseID)", "channel": "\(channel)"])
        // On the timeline when the database takes it; the archive is done either way, so a failure
        // here must not make the job run (and post its notice) again.
        let bot = context.installation.botUserID
        do {
            try await context.storage.transaction { tx in
                try await tx.audit.record(actor: bot, action: "case.orphan_archived", subject: caseID, details: ["channel": .string(channel)])
            }
        } catch {
            context.logger.warning("orphan archive not audited", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }

    static func orphanNotice(_ context: PluginContext) -> Message {
        Message("📁 This channel was made for a case that was never opened: Casebook stopped before it could record it. "
            + "Run `\(context.usage("open", "<description>"))` again if you still need one; this channel is archived.")
    }

    /// The ids of unarchived channels with one of these names that `creator` made
    /// (`conversations.list`, scope `channels:read`, and `groups:read` for private ones, which
    /// `allow_private` requests; names are unique, so at most one each).
    func channels(named names: Set<String>, createdBy creator: String, _ context: PluginContext) async throws -> [String] {
        var found: [String] = []
        var cursor = ""
        repeat {
            let types = configuration.allowPrivate ? "public_channel,private_channel" : "public_channel"
            var arguments: [String: JSONValue] = ["types": .string(types), "exclude_archived": true, "limit": 1000]
            if !cursor.isEmpty { arguments["cursor"] = .string(cursor) }
            let response = try await context.slack.call("conversations.list", arguments)
            for channel in response["channels"]?.array ?? [] {
                guard let name = channel["name"]?.string, names.contains(name), channel["creator"]?.string == creator,
                      let id = channel["id"]?.string else { continue }
                found.append(id)
            }
            cursor = response["response_metadata"]?["next_cursor"]?.string ?? ""
        } while !cursor.isEmpty && found.count < names.count
        return found
    }
}
