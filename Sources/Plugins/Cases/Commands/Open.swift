import CasebookKit

/// `/case open <description>`: a new investigation in its own public channel.
///
/// The critical path is two Slack round trips: create the channel, then invite the opener, set the
/// topic, post the summary and post the notification all at once.
extension CasesPlugin {
    static let maximumTitleLength = 150
    static let channelNameAttempts = 5

    func open(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        try checkWorkspace(command.teamID)
        let title = try Self.title(from: command.arguments, usage: context.usage("open", "<description>"))
        let channel = try await createChannel(for: title, context)
        let now = context.clock.now()
        let opener = command.userID
        var item = Case(
            id: UUID().uuidString.lowercased(), name: channel.name, title: title, channelID: channel.id,
            openedBy: opener, openedAt: now)
        let created = item
        try await context.storage.transaction { tx in
            try await CaseStore.insert(created, on: tx.sql)
            try await CaseStore.addParticipants(caseID: created.id, users: [opener], at: now, on: tx.sql)
            try await tx.audit.record(
                actor: opener, action: "case.opened", subject: created.id,
                details: ["name": .string(created.name), "channel": .string(created.channelID), "title": .string(created.title)])
            try await tx.events.publish(CaseOpened(case: created, actor: opener))
        }

        async let invited = attempt { try await context.slack.invite(channel: channel.id, users: [opener]) }
        async let topic = attempt { try await context.slack.setTopic(channel: channel.id, SlackText.truncated(title, to: 250)) }
        async let summary = attempt { try await context.slack.postMessage(channel: channel.id, SummaryMessage.make(created, now: now)) }
        async let notification = attempt {
            try await context.slack.postMessage(channel: configuration.notificationsChannel, NotificationMessage.make(created, now: now))
        }
        let results = await (invited: invited, topic: topic, summary: summary, notification: notification)

        item.summary = try? results.summary.get()
        item.notification = try? results.notification.get()
        let refs = (summary: item.summary, notification: item.notification)
        try await context.storage.transaction { tx in
            try await CaseStore.setMessages(id: created.id, summary: refs.summary, notification: refs.notification, on: tx.sql)
        }

        var problems: [String] = []
        if case .failure(let error) = results.invited { problems.append("I could not add you to the channel (\(error)); join it from the link.") }
        if case .failure(let error) = results.topic { problems.append("The topic was not set (\(error)).") }
        if case .failure(let error) = results.summary { problems.append("The summary was not posted (\(error)).") }
        if case .failure(let error) = results.notification {
            problems.append("The notification in <#\(configuration.notificationsChannel)> was not posted (\(error)).")
        }
        for problem in problems { context.logger.warning("case opened with a problem", metadata: ["case": "\(created.id)", "problem": "\(problem)"]) }
        let text = "🔍 Opened \(SlackText.channel(channel.id)) for *\(SlackText.escaped(title))*. "
            + "Collect evidence with the *Collect Evidence* message shortcut; `\(context.usage("incident"))` there escalates it."
        return .ephemeral(([text] + problems.map { "⚠️ " + $0 }).joined(separator: "\n"))
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

    /// Creates the channel, choosing a new random suffix when the name is taken.
    func createChannel(for title: String, _ context: PluginContext) async throws -> Channel {
        let naming = configuration.channelName
        var tried = Set<String>()
        for _ in 0..<Self.channelNameAttempts {
            var name = naming.name(for: title, suffix: naming.randomSuffix())
            while tried.contains(name) { name = naming.name(for: title, suffix: naming.randomSuffix()) }
            tried.insert(name)
            do {
                return try await context.slack.createChannel(name: name)
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
