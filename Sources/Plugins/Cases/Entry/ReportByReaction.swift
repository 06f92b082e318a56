import CasebookKit

/// React-to-create (`react_to_open`): the configured emoji on a message opens an investigation
/// whose evidence is a link to that message, with the reacting person as its opener.
///
/// The message is never read: its permalink comes from `chat.getPermalink` and the title names
/// only the channel. The event is acked at once; a durable job keyed by the message does the Slack
/// calls, so reactions to one message run one after another, and open one case however many
/// people react or how often Slack redelivers. Everyone who reacted is told, privately, where it is.
extension CasesPlugin {
    /// A message someone reported with the emoji.
    struct ReportedMessage: Codable, Sendable, Equatable {
        var channel: String
        var ts: String
        var emoji: String

        /// The case's ``OpenCaseRequest/externalKey`` and the job's dedupe key.
        var key: String { "react:\(channel):\(ts)" }
    }

    static let reactionJob = JobKey<ReportedMessage>("open_from_reaction")

    /// The event only when the configuration asks for it (the manifest subscribes to it only
    /// then); the job always, so one queued before the setting was removed still finds its handler.
    func registerReactToOpen(_ routes: inout Routes<CasesPlugin>) {
        if configuration.reactToOpen != nil {
            routes.group(allowedWorkspaces) { routes in routes.event("reaction_added", use: CasesPlugin.reactionAdded) }
        }
        routes.job(Self.reactionJob, use: CasesPlugin.openFromReaction)
    }

    /// Records who reacted and queues the job, in one transaction; no Slack call before the ack.
    /// Other emoji, other items than messages, channels not configured, case channels, the app's
    /// own reactions and reactions to its own messages are ignored.
    func reactionAdded(_ event: SlackEvent, _ context: PluginContext) async throws {
        let bot = context.installation.botUserID
        guard let setting = configuration.reactToOpen,
              let user = event.userID, !user.isEmpty, user != bot,
              let reaction = event.payload["reaction"]?.string, let item = event.payload["item"], item["type"]?.string == "message",
              let channel = item["channel"]?.string, let ts = item["ts"]?.string, setting.opens(reaction, in: channel),
              event.payload["item_user"]?.string != bot
        else { return }
        let message = ReportedMessage(channel: channel, ts: ts, emoji: setting.emoji)
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            guard try await CaseStore.find(channel: channel, on: tx.sql) == nil else { return }
            try await ReactionStore.record(channel: channel, ts: ts, user: user, at: now, on: tx.sql)
            try await tx.jobs.schedule(Self.reactionJob, message, at: now, dedupeKey: message.key)
        }
    }

    /// Opens the message's case (or finds it), links the message as its evidence and tells each
    /// reactor not told yet where it is. Bots are ignored; a guest or someone from another
    /// organisation is refused privately. Every step is idempotent, so a retry after a crash
    /// anywhere finishes the work without a second case, evidence entry or answer.
    func openFromReaction(_ message: ReportedMessage, _ context: PluginContext) async throws {
        let pending = try await context.storage.read { db in try await ReactionStore.unanswered(channel: message.channel, ts: message.ts, on: db) }
        guard !pending.isEmpty else { return }
        var people: [ReactionStore.Pending] = []
        for reaction in pending {
            let user: SlackUser
            do {
                user = try await context.slack.userInfo(reaction.user)
            } catch let error as SlackAPIError where error.code == "user_not_found" || error.code == "user_not_visible" {
                try await markAnswered(reaction, of: message, context)
                continue
            }
            if context.installation.mayHoldRole(user) {
                people.append(reaction)
            } else {
                if !user.isBot { try await tell(reaction, Self.refusal(user, context), about: message, context) }
                try await markAnswered(reaction, of: message, context)
            }
        }
        guard let opener = people.first?.user else { return }
        let permalink = try await context.slack.permalink(channel: message.channel, messageTS: message.ts)
        let item: Case
        let problems: [String]
        do {
            (item, problems) = try await caseFor(message, permalink: permalink, opener: opener, context)
        } catch let error as UserFacingError {
            for reaction in people {
                try await tell(reaction, "I could not open a case for this message: \(error.message)", about: message, context)
                try await markAnswered(reaction, of: message, context)
            }
            return
        }
        try await linkEvidence(message, permalink: permalink, to: item, by: opener, context)
        for reaction in people {
            let text = reaction.user == item.openedBy
                ? "🔍 Opened \(SlackText.channel(item.channelID)) for this message; a link to it is the case's first evidence, and you are its opener."
                    + problems.map { "\n⚠️ " + $0 }.joined()
                : "This message is already a case: \(SlackText.channel(item.channelID)) (*\(SlackText.escaped(item.title))*)."
            try await tell(reaction, text, about: message, context)
            try await markAnswered(reaction, of: message, context)
        }
    }

    /// The open case under the message's key, or a new one opened by `opener`.
    func caseFor(_ message: ReportedMessage, permalink: String, opener: String, _ context: PluginContext) async throws -> (Case, [String]) {
        let key = message.key
        if let existing = try await context.storage.read({ db in try await CaseStore.find(externalKey: key, on: db) }) {
            return (existing, [])
        }
        let name = try? await context.slack.channelInfo(message.channel).name
        let note = Message(
            "🚨 \(SlackText.user(opener)) reported <\(permalink)|this message> in \(SlackText.channel(message.channel)) with :\(message.emoji):.")
        let opened = try await openCase(
            OpenCaseRequest(
                title: Self.reportTitle(channelName: name, emoji: message.emoji), opener: opener, invitees: [opener], channelMessages: [note],
                externalKey: key, source: .reaction),
            context)
        guard let item = opened.case else { throw UserFacingError(opened.problems.joined(separator: " ")) }
        return (item, opened.problems)
    }

    /// Where the case came from, never what the message says: `#alerts: message reported with :rotating_light:`.
    static func reportTitle(channelName: String?, emoji: String) -> String {
        let place = channelName.map { "#\($0)" } ?? "A channel"
        let title = "\(place): message reported with :\(emoji):"
        return title.count <= maximumTitleLength ? title : "\(place): message reported by reaction"
    }

    /// Links the message to the case (once) as the opener's evidence, and refreshes its messages.
    func linkEvidence(_ message: ReportedMessage, permalink: String, to item: Case, by user: String, _ context: PluginContext) async throws {
        let now = context.clock.now()
        let evidence = Evidence(
            id: UUID().uuidString.lowercased(), caseID: item.id, permalink: permalink, sourceChannel: message.channel,
            messageTS: message.ts, collectedBy: user, collectedAt: now)
        let counted = try await context.storage.transaction { tx -> Case? in
            guard try await CaseStore.addEvidence(evidence, on: tx.sql), let counted = try await CaseStore.find(id: item.id, on: tx.sql) else {
                return nil
            }
            try await tx.audit.record(
                actor: user, action: "case.evidence_added", subject: item.id,
                details: ["permalink": .string(permalink), "channel": .string(message.channel), "ts": .string(message.ts)])
            try await tx.events.publish(EvidenceAdded(case: counted, evidence: evidence))
            return counted
        }
        if let counted { await refreshMessages(counted, context) }
    }

    /// The host's own words for people it refuses (``UserPolicy``): reactions are events, which
    /// the host passes to plugins, so the refusal is made here.
    static func refusal(_ user: SlackUser, _ context: PluginContext) -> String {
        user.isMember(of: context.installation.teamID)
            ? "Guests can't use Casebook in this workspace. Ask a member to do it for you."
            : "Casebook is only available to members of this workspace."
    }

    /// An ephemeral answer next to the message. Someone who can no longer be reached there (left
    /// the channel) is not retried for ever.
    func tell(_ reaction: ReactionStore.Pending, _ text: String, about message: ReportedMessage, _ context: PluginContext) async throws {
        do {
            try await context.slack.postEphemeral(channel: message.channel, user: reaction.user, Message(text))
        } catch let error as SlackAPIError where Self.unreachable.contains(error.code) {
            context.logger.notice("a reactor could not be answered", metadata: ["user": "\(reaction.user)", "error": "\(error.code)"])
        }
    }

    static let unreachable: Set<String> = ["user_not_in_channel", "channel_not_found", "is_archived", "user_not_found"]

    func markAnswered(_ reaction: ReactionStore.Pending, of message: ReportedMessage, _ context: PluginContext) async throws {
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await ReactionStore.markAnswered(channel: message.channel, ts: message.ts, reaction, at: now, on: tx.sql)
        }
    }
}
