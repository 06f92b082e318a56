import CasebookKit

/// The Collect Evidence message shortcut: choose a case, and a link to the message is stored and
/// posted in the case channel. Only the permalink, the source channel, the timestamp, the collector
/// and the time are kept; the message is never read (no history call, no history scope).
extension CasesPlugin {
    func collectEvidence(_ shortcut: Shortcut, _ context: PluginContext) async throws -> Reply {
        guard let channel = shortcut.channelID, let ts = shortcut.messageTS else {
            throw UserFacingError("Use *Collect Evidence* from a message's “More actions” menu.")
        }
        let user = shortcut.userID
        let (active, mine) = try await context.storage.read { db in
            (try await CaseStore.active(limit: EvidenceModal.optionLimit, on: db), try await CaseStore.latestActiveCase(of: user, on: db))
        }
        // A private case is offered only to the people in its channel.
        let hidden = await casesHidden(active, from: user, context)
        let cases = active.filter { !hidden.contains($0.id) }
        guard !cases.isEmpty else {
            throw UserFacingError("There is no active case to add evidence to. Open one with `\(context.usage("open", "<description>"))`.")
        }
        let preselected = mine.flatMap { own in cases.first { $0.id == own.id } }
        return .openModal(EvidenceModal.make(cases: cases, preselected: preselected, source: .init(channel: channel, ts: ts)))
    }

    func submitEvidence(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        guard let source = try? JSONValue.decode(submission.privateMetadata).decode(as: EvidenceModal.Source.self) else {
            throw UserFacingError("This form lost track of the message; run *Collect Evidence* on it again.")
        }
        guard let caseID = submission.value(EvidenceModal.caseBlock)?.value, !caseID.isEmpty else {
            return .viewErrors([EvidenceModal.caseBlock: "Choose a case."])
        }
        guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }), item.status.isActive else {
            return .viewErrors([EvidenceModal.caseBlock: "That case is closed; choose an active one."])
        }
        if item.isPrivate, let problem = try await membershipProblem(submission.userID, item, context) {
            return .viewErrors([EvidenceModal.caseBlock: problem])
        }
        let permalink = try await context.slack.permalink(channel: source.channel, messageTS: source.ts)
        let now = context.clock.now()
        let user = submission.userID
        let evidence = Evidence(
            id: UUID().uuidString.lowercased(), caseID: item.id, permalink: permalink, sourceChannel: source.channel,
            messageTS: source.ts, collectedBy: user, collectedAt: now)
        let updated = try await context.storage.transaction { tx -> Case? in
            guard try await CaseStore.addEvidence(evidence, on: tx.sql) else { return nil }
            try await CaseStore.addParticipants(caseID: evidence.caseID, users: [user], at: now, on: tx.sql)
            guard let counted = try await CaseStore.find(id: evidence.caseID, on: tx.sql) else { return nil }
            try await tx.audit.record(
                actor: user, action: "case.evidence_added", subject: evidence.caseID,
                details: ["permalink": .string(permalink), "channel": .string(source.channel), "ts": .string(source.ts)])
            try await tx.events.publish(EvidenceAdded(case: counted, evidence: evidence))
            return counted
        }
        guard let counted = updated else {
            return .viewErrors([EvidenceModal.caseBlock: "This message is already evidence in that case."])
        }
        async let posted = announce(
            Message("📎 \(SlackText.user(user)) added evidence from \(SlackText.channel(source.channel)): <\(permalink)|view message>"),
            in: counted.channelID, context)
        async let refreshed: Void = refreshMessages(counted, context)
        _ = await (posted, refreshed)
        return .ack
    }

    /// Remembers who joined a case channel, so the evidence modal can preselect their case.
    func memberJoined(_ event: SlackEvent, _ context: PluginContext) async throws {
        guard let channel = event.channelID, let user = event.userID, user != context.installation.botUserID else { return }
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            guard let item = try await CaseStore.find(channel: channel, on: tx.sql), item.status.isActive else { return }
            try await CaseStore.addParticipants(caseID: item.id, users: [user], at: now, on: tx.sql)
        }
    }
}
