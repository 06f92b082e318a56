import CasebookKit

/// `/case resolve` (and the summary's button): service is restored; the time to resolve is
/// recorded and the investigation stays open for follow-up.
extension CasesPlugin {
    func resolve(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await caseInChannel(command, context)
        let resolved = try await resolve(item, by: command.userID, source: .command, context)
        return .ephemeral(Self.resolvedReply(resolved, context))
    }

    func resolveButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await caseForButton(action, context)
        let resolved = try await resolve(item, by: action.userID, source: .button, context)
        return .ephemeral(Self.resolvedReply(resolved, context))
    }

    static func resolvedReply(_ item: Case, _ context: PluginContext) -> String {
        let ttr = item.timeToResolve.map { " in \(SlackText.duration($0))" } ?? ""
        return "✅ Incident resolved\(ttr). The investigation stays open: `\(context.usage("close"))` when the follow-up is done."
    }

    func resolve(_ item: Case, by user: String, source: TriggerSource, _ context: PluginContext) async throws -> Case {
        let now = context.clock.now()
        let caseID = item.id
        let updated = try await context.storage.transaction { tx -> Case? in
            guard let resolved = try await CaseStore.resolve(id: caseID, by: user, at: now, on: tx.sql) else { return nil }
            try await tx.audit.record(
                actor: user, action: "case.resolved", subject: caseID,
                details: ["time_to_resolve_seconds": .number((resolved.timeToResolve ?? 0).rounded())])
            try await tx.events.publish(CaseResolved(case: resolved, actor: user))
            return resolved
        }
        guard let resolved = updated else {
            let current = try await context.storage.read { db in try await CaseStore.find(id: caseID, on: db) } ?? item
            switch current.status {
            case .investigating:
                throw UserFacingError("This investigation is not an incident, so there is nothing to resolve. `\(context.usage("close"))` closes it.")
            case .resolved:
                throw UserFacingError("Already resolved \(SlackText.date(current.resolvedAt ?? now)) by \(SlackText.user(current.resolvedBy)).")
            case .closed:
                throw Self.closedError(current)
            case .escalated:
                throw UserFacingError("The incident changed while resolving it; try again.")
            }
        }
        Self.recordTransition(.resolved, resolved, source: source, context)
        let ttr = resolved.timeToResolve.map { " after \(SlackText.duration($0))" } ?? ""
        async let inChannel = announce(
            Message("✅ \(SlackText.user(user)) resolved the incident\(ttr). The investigation stays open for follow-up."),
            in: resolved.channelID, context)
        async let refreshed: Void = refreshMessages(resolved, context)
        _ = await (inChannel, refreshed)
        return resolved
    }
}
