import CasebookKit

/// `/case open <description>`: a new investigation in its own public channel.
///
/// The critical path is two Slack round trips: create the channel, then invite the opener, set the
/// topic, post the summary and post the notification all at once. A crash between the two loses
/// nothing: a durable job completes what was not confirmed (`SideEffects/`). Other plugins open cases the same
/// way through ``CasesPlugin/openCase`` (see ``openCase(_:_:)``).
extension CasesPlugin {
    static let maximumTitleLength = 150
    static let channelNameAttempts = 5

    func open(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let asked = Self.privateRequest(command.arguments)
        if asked.isPrivate { try requirePrivateAllowed() }
        let title = try Self.title(from: asked.description, usage: context.usage("open", "<description>"))
        let opened = try await openCase(
            OpenCaseRequest(title: title, opener: command.userID, invitees: [command.userID], source: .command, isPrivate: asked.isPrivate), context)
        let channelID = opened.case?.channelID ?? ""
        let text = "🔍 Opened \(SlackText.channel(channelID)) for *\(SlackText.escaped(title))*. "
            + "Collect evidence with the *Collect Evidence* message shortcut; `\(context.usage("incident"))` there escalates it."
        return .ephemeral(([text] + opened.problems.map { "⚠️ " + $0 }).joined(separator: "\n"))
    }

    /// Opens a case for `/case open` and for other plugins (``CasesPlugin/openCase``): the channel
    /// (while the members of `inviteGroups` are looked up), then the invitations, topic, summary,
    /// notification and the request's own first messages all at once. Returns the case and what
    /// did not work, in words for people.
    ///
    /// Durable: the channel's intent is stored before it is created (an orphan is archived, see
    /// `OrphanChannels.swift`), and the case's transaction schedules the job that completes every
    /// step after it that this request does not confirm (`WarRoomAssembly.swift`).
    func openCase(_ request: OpenCaseRequest, _ context: PluginContext) async throws -> OpenedCase {
        if request.isPrivate { try requirePrivateAllowed() }
        if let key = request.externalKey,
           let existing = try await context.storage.read({ db in try await CaseStore.find(externalKey: key, on: db) }) {
            return OpenedCase(case: existing, problems: [], channelMessages: request.channelMessages.map { _ in nil })
        }
        let title = request.title
        let started = ContinuousClock.now
        let caseID = UUID().uuidString.lowercased()
        // A private case invites only who asked for it (and, on escalation, the response group).
        let groups = request.inviteGroups + (request.isPrivate ? [] : [configuration.inviteOnOpen].compactMap { $0 })
        async let groupMembers = attempt { try await self.members(of: groups, context) }
        let channel = try await createChannel(for: title, caseID: caseID, isPrivate: request.isPrivate, context)
        let now = context.clock.now()
        let opener = request.opener
        let bot = context.installation.botUserID
        let groupResult = await groupMembers
        let invitees = Array(Set(request.invitees + ((try? groupResult.get()) ?? []))).filter { !$0.isEmpty && $0 != bot }.sorted()
        var item = Case(
            id: caseID, name: channel.name, title: title, channelID: channel.id, openedBy: opener, openedAt: now,
            isPrivate: request.isPrivate)
        let created = item
        let plan = WarRoomAssembly(
            caseID: caseID, invitees: invitees, channelMessages: request.channelMessages.map { .object($0.json) }, announceIn: request.announceIn)
        do {
            try await context.storage.transaction { tx in
                // The channel is this case's now: its orphan check is cancelled, and if that check
                // already started, the case is not recorded (the check archives the channel).
                guard try await tx.jobs.cancel(dedupeKey: Self.orphanKey(caseID)) else {
                    throw UserFacingError("Opening the case took too long and was abandoned; please try again.")
                }
                try await CaseStore.insert(created, on: tx.sql)
                if let key = request.externalKey { try await CaseStore.setExternalKey(key, caseID: created.id, on: tx.sql) }
                try await CaseStore.addParticipants(caseID: created.id, users: invitees, at: now, on: tx.sql)
                for link in request.evidenceLinks {
                    let evidence = Evidence(
                        id: UUID().uuidString.lowercased(), caseID: created.id, permalink: link, sourceChannel: Self.externalEvidenceSource,
                        messageTS: link, collectedBy: opener, collectedAt: now)
                    _ = try await CaseStore.addEvidence(evidence, on: tx.sql)
                }
                try await tx.audit.record(
                    actor: opener, action: "case.opened", subject: created.id,
                    details: [
                        "name": .string(created.name), "channel": .string(created.channelID), "title": .string(created.title),
                        "private": .bool(created.isPrivate),
                    ])
                try await tx.events.publish(CaseOpened(case: created, actor: opener))
                try await tx.jobs.schedule(
                    Self.assembleWarRoom, plan, at: now.addingTimeInterval(Self.sideEffectHandoff), dedupeKey: Self.warRoomKey(caseID))
            }
        } catch {
            await abandon(channel, caseID: caseID, context)
            throw error
        }
        item.evidenceCount = request.evidenceLinks.count

        let results = await perform(assemblySteps(created, plan, now: now, context), caseID: caseID, budget: Self.sideEffectBudget, context)
        await settle(results, job: Self.assembleWarRoom, plan, dedupeKey: Self.warRoomKey(caseID), caseID: caseID, context)
        context.metrics.warRoomAssembled(in: ContinuousClock.now - started)
        Self.recordTransition(.opened, created, source: request.source, context)
        item.summary = (try? results[2].get()) ?? nil
        item.notification = (try? results[3].get()) ?? nil

        var problems: [String] = []
        if case .failure(let error) = groupResult { problems.append("The responders' user group was not looked up (\(error)).") }
        if case .failure(let error) = results[0] {
            problems.append(invitees == [opener] ? "I could not add you to the channel (\(error)); join it from the link." : "Not everyone was invited (\(error)).")
        }
        if case .failure(let error) = results[1] { problems.append("The topic was not set (\(error)).") }
        if case .failure(let error) = results[2] { problems.append("The summary was not posted (\(error)).") }
        if case .failure(let error) = results[3] {
            problems.append("The notification in <#\(configuration.notificationsChannel)> was not posted (\(error)).")
        }
        let posts = request.channelMessages.map { _ in channel.id } + request.announceIn
        for (index, result) in results.dropFirst(4).enumerated() {
            if case .failure(let error) = result { problems.append("A message in <#\(posts[index])> was not posted (\(error)).") }
        }
        for problem in problems { context.logger.warning("case opened with a problem", metadata: ["case": "\(created.id)", "problem": "\(problem)"]) }
        let channelMessages = results.dropFirst(4).prefix(request.channelMessages.count).map { (try? $0.get()) ?? nil }
        return OpenedCase(case: item, problems: problems, channelMessages: Array(channelMessages))
    }

    /// The case's transaction failed after its channel was made: unless the case was recorded
    /// after all (a commit whose answer was lost), the channel is archived now; if that fails too,
    /// the pending `reconcile_channel` job archives it later.
    func abandon(_ channel: Channel, caseID: String, _ context: PluginContext) async {
        do {
            if try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) != nil { return }
            try await archiveOrphan(channel.id, caseID: caseID, context)
        } catch {
            context.logger.warning("an abandoned case channel was not archived yet", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }

    /// Evidence that is a link outside Slack (an alert's dashboard), not a collected message.
    static let externalEvidenceSource = "external"

    /// The members of these user groups, together.
    func members(of groups: [String], _ context: PluginContext) async throws -> [String] {
        var members: [String] = []
        for group in groups { members += try await context.slack.userGroupMembers(group) }
        return members
    }

    /// The description, trimmed and on one line; a usage line when it is missing or too long.
    static func title(from arguments: String, usage: String) throws -> String {
        let title = arguments.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !title.isEmpty else {
            throw UserFacingError("Describe what you are investigating: `\(usage)`, e.g. `\(usage.replacingOccurrences(of: "<description>", with: "API response times increasing"))`.")
        }
        guard title.count <= maximumTitleLength else {
            throw UserFacingError("That description is \(title.count) characters long; keep it under \(maximumTitleLength + 1) — details go in the channel.")
        }
        return title
    }

    /// Creates the channel, choosing a new random suffix when the name is taken. Each name is
    /// stored in the case's intent before it is tried, so an orphan can be found by it.
    func createChannel(for title: String, caseID: String, isPrivate: Bool = false, _ context: PluginContext) async throws -> Channel {
        let naming = configuration.channelName
        var tried: [String] = []
        for _ in 0..<Self.channelNameAttempts {
            var name = naming.name(for: title, suffix: naming.randomSuffix())
            while tried.contains(name) { name = naming.name(for: title, suffix: naming.randomSuffix()) }
            tried.append(name)
            try await recordIntent(ChannelIntent(caseID: caseID, names: tried), context)
            do {
                return try await context.slack.createChannel(name: name, isPrivate: isPrivate)
            } catch let error as SlackAPIError where error.code == "name_taken" {
                context.logger.debug("channel name taken, trying another suffix", metadata: ["name": "\(name)"])
            }
        }
        throw UserFacingError("Every channel name I tried for this case is taken. Try a slightly different description.")
    }
}

/// Runs one of several concurrent side effects, keeping its failure as a value so the others still
/// finish and the user hears about each one that did not work.
func attempt<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
