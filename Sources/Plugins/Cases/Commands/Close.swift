import CasebookKit

/// `/case close` (and the summary's button): a final summary, then the channel is archived.
/// Closing an unresolved incident asks for confirmation with a button instead of doing it.
extension CasesPlugin {
    func close(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context)
        return try await close(item, by: command.userID, confirmed: false, source: .command, context)
    }

    /// The summary's Close button: asks first when the incident is unresolved.
    func closeButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        try await closeButton(action, context, confirmed: false)
    }

    /// The confirmation's Close button.
    func confirmCloseButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        try await closeButton(action, context, confirmed: true)
    }

    func closeButton(_ action: BlockAction, _ context: PluginContext, confirmed: Bool) async throws -> Reply {
        let item = try await caseForButton(action, context)
        let reply = try await close(item, by: action.userID, confirmed: confirmed, source: .button, context)
        // The confirmation prompt is replaced by the outcome, so its button can't be pressed twice.
        if confirmed, case .ephemeral(let message) = reply { return .replaceOriginal(message) }
        return reply
    }

    func close(_ item: Case, by user: String, confirmed: Bool, source: TriggerSource, _ context: PluginContext) async throws -> Reply {
        if item.status == .closed { throw Self.closedError(item) }
        try requireCloseAuthority(item, by: user, context)
        if item.status == .escalated && !confirmed { return .ephemeral(Self.confirmation(item)) }
        let now = context.clock.now()
        let caseID = item.id
        let updated = try await context.storage.transaction { tx -> Case? in
            guard let closed = try await CaseStore.close(id: caseID, by: user, at: now, evenIfUnresolved: confirmed, on: tx.sql) else {
                return nil
            }
            try await tx.audit.record(
                actor: user, action: "case.closed", subject: caseID,
                details: ["duration_seconds": .number(closed.duration(now: now).rounded()), "was_incident": .bool(closed.wasEscalated)])
            try await tx.events.publish(CaseClosed(case: closed, actor: user))
            try await tx.jobs.schedule(
                Self.closeWarRoom, CloseOut(case: closed), at: now.addingTimeInterval(Self.sideEffectHandoff), dedupeKey: Self.closeKey(caseID))
            try await Self.scheduleRefresh(caseID, at: now, in: tx)
            return closed
        }
        guard let closed = updated else {
            let current = try await context.storage.read { db in try await CaseStore.find(id: caseID, on: db) } ?? item
            if current.status == .closed { throw Self.closedError(current) }
            // Escalated in the meantime: the commander is asked, as for any unresolved incident.
            try requireCloseAuthority(current, by: user, context)
            return .ephemeral(Self.confirmation(current))
        }

        Self.recordTransition(.closed, closed, source: source, context)
        // The final summary and the refresh at once, then the archive; the job scheduled above
        // completes whatever is not confirmed here (a failure, or a crash right after the commit).
        let started = ContinuousClock.now
        async let refreshed: Void = refreshAfterChange(closed, context)
        var results = await perform(closingSteps(closed, context), caseID: caseID, budget: Self.sideEffectBudget, context)
        await refreshed
        var archived: Result<MessageRef?, any Error> = results[0].map { _ in nil }
        if case .success = results[0] {
            let left = Self.sideEffectBudget - (ContinuousClock.now - started)
            archived = await perform([archiveStep(closed, context)], caseID: caseID, budget: max(left, .zero), context)[0]
        }
        results.append(archived)
        await settle(results, job: Self.closeWarRoom, CloseOut(case: closed), dedupeKey: Self.closeKey(caseID), caseID: caseID, context)
        if case .failure(let error) = archived {
            context.logger.warning("case channel not archived yet", metadata: ["case": "\(caseID)", "error": "\(error)"])
            return .ephemeral("📁 Closed, but I could not archive \(SlackText.channel(closed.channelID)) yet (\(error)); I will keep trying.")
        }
        return .ephemeral("📁 Closed *\(SlackText.escaped(closed.title))* after \(SlackText.duration(closed.duration(now: now))); the channel is archived.")
    }

    static func confirmation(_ item: Case) -> Message {
        Message("This incident is not resolved yet. Close it anyway?") {
            Block.section(
                "🚨 This incident is *not resolved* yet. Resolve it first with `/case resolve`, or close it anyway — the channel will be archived.",
                blockID: "close_confirmation")
            Block.actions([
                .button("Close anyway", actionID: ActionID.confirmClose.wire, value: item.id, style: .danger)
            ], blockID: "close_confirmation_actions")
        }
    }

    /// The last message of the channel before it is archived: the whole case in a few lines.
    static func finalSummary(_ item: Case, now: Date) -> Message {
        var lines = [
            "📁 *Case closed* by \(SlackText.user(item.closedBy)) after \(SlackText.duration(item.duration(now: now))).",
            "Opened \(SlackText.date(item.openedAt)) by \(SlackText.user(item.openedBy)) · evidence: \(item.evidenceCount)",
        ]
        if let escalatedAt = item.escalatedAt {
            lines.append("Incident: escalated \(SlackText.date(escalatedAt)) by \(SlackText.user(item.escalatedBy)), commander \(SlackText.user(item.commander))")
        }
        if let resolvedAt = item.resolvedAt {
            lines.append("Resolved \(SlackText.date(resolvedAt)) by \(SlackText.user(item.resolvedBy))"
                + (item.timeToResolve.map { " — time to resolve \(SlackText.duration($0))" } ?? ""))
        } else if item.wasEscalated {
            lines.append("⚠️ Closed without being resolved.")
        }
        return Message(lines.joined(separator: "\n")) {
            Block.section(lines.joined(separator: "\n"), blockID: "final_summary")
        }
    }
}
