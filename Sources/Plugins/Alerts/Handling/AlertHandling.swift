import CasebookKit
import CasesPlugin
import PagerDutyPlugin

/// A job that must run again later: another job is opening the group's case, or Cases could not.
struct AlertNotHandledYet: Error, CustomStringConvertible {
    var description: String
}

extension AlertsPlugin {
    /// A claim older than this belongs to a job that died while opening the case.
    static let claimTimeout: TimeInterval = 120

    /// The durable job of one accepted delivery.
    func handle(_ notice: AlertNotice, _ context: PluginContext) async throws {
        switch notice.kind {
        case .firing: try await fire(notice, context)
        case .resolved: try await resolve(notice, context)
        case .acknowledged: try await acknowledge(notice, context)
        case .other: try await timeline(notice, action: "alerts.\(notice.event.replacingOccurrences(of: " ", with: "_"))", context)
        }
    }

    /// A new group opens its case; a known one gets at most a threaded note when its count changed.
    func fire(_ notice: AlertNotice, _ context: PluginContext) async throws {
        let now = context.clock.now()
        let source = notice.source.rawValue
        let key = notice.groupKey
        let cases = CaseDirectory(context: context)
        if let group = try await context.storage.read({ db in try await AlertGroupStore.find(source: source, groupKey: key, on: db) }),
           let caseID = group.caseID {
            if let item = await cases.case(id: caseID), item.status != .closed {
                try await repeated(notice, group: group, context)
                return
            }
            // Its case was closed: this firing is a new episode with a new case.
            try await context.storage.transaction { tx in try await AlertGroupStore.release(source: source, groupKey: key, on: tx.sql) }
        }
        let claimed = try await context.storage.transaction { tx in
            try await AlertGroupStore.claim(
                source: source, groupKey: key, at: now, staleBefore: now.addingTimeInterval(-Self.claimTimeout), on: tx.sql)
        }
        guard claimed else {
            // Opened or being opened by another delivery's job; run again to add the note.
            if let group = try await context.storage.read({ db in try await AlertGroupStore.find(source: source, groupKey: key, on: db) }),
               group.caseID != nil {
                try await repeated(notice, group: group, context)
                return
            }
            throw AlertNotHandledYet(description: "another delivery is opening this alert group's case")
        }
        try await open(notice, context)
    }

    /// Opens the case: responders, routed channels and the alert summary in the same round trip
    /// as the channel's own setup; an incident at once when `escalate_when` matches.
    func open(_ notice: AlertNotice, _ context: PluginContext) async throws {
        let bot = context.installation.botUserID
        let cases = CaseDirectory(context: context)
        let title = SlackText.truncated(notice.title.split(whereSeparator: \.isNewline).joined(separator: " "), to: 150)
        let opened = await cases.open(OpenCaseRequest(
            title: title, opener: bot, invitees: configuration.responderUsers, inviteGroups: configuration.responderGroups,
            evidenceLinks: notice.links, channelMessages: [AlertMessages.summary(notice)],
            announceIn: configuration.routedChannels(notice.labels), externalKey: "alerts:\(notice.source.rawValue):\(notice.groupKey)",
            source: .alert))
        guard let item = opened.case else {
            throw AlertNotHandledYet(description: "the case was not opened: \(opened.problems.joined(separator: " "))")
        }
        let now = context.clock.now()
        let thread = opened.channelMessages.first.flatMap { $0?.ts }
        try await context.storage.transaction { tx in
            try await AlertGroupStore.opened(
                source: notice.source.rawValue, groupKey: notice.groupKey, caseID: item.id, channelID: item.channelID, threadTS: thread,
                firingCount: notice.firingCount, at: now, on: tx.sql)
            try await tx.audit.record(
                actor: bot, action: "alerts.opened", subject: item.id,
                details: ["source": .string(notice.source.rawValue), "group": .string(notice.groupKey), "alerts": .number(Double(notice.firingCount))])
        }
        if configuration.escalates(notice.labels) {
            let escalated = await cases.escalate(caseID: item.id, by: bot, leavingCommandOpen: true, source: .alert)
            if let error = escalated.error {
                context.logger.warning("alert case not escalated", metadata: ["case": "\(item.id)", "error": "\(error)"])
            } else {
                await handOverToFirstResponder(item.id, by: bot, context)
            }
        }
    }

    /// With the PagerDuty plugin (and its API token), the level-1 person on call who has a Slack
    /// account commands the alert's incident; otherwise command stays open behind Take command.
    /// After the war room exists, so it never delays it; a PagerDuty failure leaves command open.
    func handOverToFirstResponder(_ caseID: String, by bot: String, _ context: PluginContext) async {
        let responders = await context.extensions.collect(PagerDutyPlugin.firstResponders, FirstRespondersQuery(), logger: context.logger)
            .flatMap { $0 }
        guard let first = responders.first else { return }
        let outcome = await CaseDirectory(context: context).transferCommand(caseID: caseID, to: first, by: bot)
        if let error = outcome.error {
            context.logger.warning("on-call person not made commander", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }

    /// A repeat or an escalation step: a note in the thread only when the number of alerts changed.
    func repeated(_ notice: AlertNotice, group: AlertGroup, _ context: PluginContext) async throws {
        guard let channel = group.channelID, notice.firingCount != group.firingCount || group.state != "firing" else { return }
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await AlertGroupStore.update(
                source: group.source, groupKey: group.groupKey, state: "firing", firingCount: notice.firingCount, at: now, on: tx.sql)
        }
        try await post(AlertMessages.stillFiring(notice), in: channel, thread: group.threadTS, context)
    }

    /// "Alert resolved" in the channel and on the timeline; with `resolve_with_alert` the
    /// investigation is closed or the incident resolved.
    func resolve(_ notice: AlertNotice, _ context: PluginContext) async throws {
        guard let (group, caseID, channel) = try await knownCase(notice, context) else { return }
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await AlertGroupStore.update(source: group.source, groupKey: group.groupKey, state: "resolved", firingCount: 0, at: now, on: tx.sql)
        }
        try await post(AlertMessages.resolved(notice), in: channel, thread: nil, context)
        try await timeline(notice, action: "alerts.resolved", caseID: caseID, context)
        guard configuration.resolveWithAlert else { return }
        let cases = CaseDirectory(context: context)
        let bot = context.installation.botUserID
        guard let item = await cases.case(id: caseID) else { return }
        let outcome: CaseOutcome? = switch item.status {
        case .investigating: await cases.close(caseID: caseID, by: bot, source: .alert)
        case .escalated: await cases.resolve(caseID: caseID, by: bot, source: .alert)
        case .resolved, .closed: nil
        }
        if let error = outcome?.error { context.logger.warning("alert case not resolved", metadata: ["case": "\(caseID)", "error": "\(error)"]) }
    }

    /// OnCall's acknowledgement, with who, in the channel and on the timeline.
    func acknowledge(_ notice: AlertNotice, _ context: PluginContext) async throws {
        guard let (group, caseID, channel) = try await knownCase(notice, context) else { return }
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await AlertGroupStore.update(source: group.source, groupKey: group.groupKey, state: "acknowledged", firingCount: nil, at: now, on: tx.sql)
        }
        try await post(AlertMessages.acknowledged(notice), in: channel, thread: nil, context)
        try await timeline(notice, action: "alerts.acknowledged", caseID: caseID, context)
    }

    /// The group's case, nil (nothing to do) for a group never seen firing; a retry while it is
    /// being opened.
    func knownCase(_ notice: AlertNotice, _ context: PluginContext) async throws -> (AlertGroup, String, String)? {
        let source = notice.source.rawValue
        let key = notice.groupKey
        guard let group = try await context.storage.read({ db in try await AlertGroupStore.find(source: source, groupKey: key, on: db) }) else {
            try await timeline(notice, action: "alerts.\(notice.kind.rawValue)_unknown_group", context)
            return nil
        }
        guard let caseID = group.caseID, let channel = group.channelID else {
            throw AlertNotHandledYet(description: "the alert group's case is still being opened")
        }
        return (group, caseID, channel)
    }

    func post(_ message: Message, in channel: String, thread: String?, _ context: PluginContext) async throws {
        _ = try await context.slack.postMessage(channel: channel, message, threadTS: thread)
    }

    /// An audit entry on the case's timeline (or the group's, before there is a case).
    func timeline(_ notice: AlertNotice, action: String, caseID: String? = nil, _ context: PluginContext) async throws {
        var details: [String: JSONValue] = ["source": .string(notice.source.rawValue), "group": .string(notice.groupKey), "event": .string(notice.event)]
        if let actor = notice.actor { details["by"] = .string(actor) }
        let subject = caseID ?? notice.groupKey
        let recorded = details
        try await context.storage.transaction { tx in
            try await tx.audit.record(actor: notice.actor ?? notice.source.rawValue, action: action, subject: subject, details: .object(recorded))
        }
    }
}
