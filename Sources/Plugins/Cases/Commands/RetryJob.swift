import CasebookKit

/// "Retry" next to a dead job in `/case status`: the case's commander (anyone in the channel
/// while nobody commands) or a workspace admin puts work about this case that failed for good back
/// in the queue. `casebook jobs retry <id>` does the same from the command line.
extension CasesPlugin {
    func retryJobButton(_ action: BlockAction, _ context: InvocationContext) async throws -> Reply {
        let parts = (action.value ?? "").split(separator: " ").map(String.init)
        guard parts.count == 2, let jobID = Int64(parts[1]) else { throw UserFacingError("This button no longer applies.") }
        let caseID = parts[0]
        guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) else {
            throw UserFacingError("This case no longer exists.")
        }
        try await requireChannelMember(action.userID, item, context.plugin)
        if let commander = item.commander, commander != action.userID, try await !actorIsWorkspaceAdmin(context) {
            throw UserFacingError("Only the incident commander (\(SlackText.user(commander))) or a workspace admin can retry failed work.")
        }
        guard try await context.jobs.retry(deadJobID: jobID, mentioning: item.id) else {
            return .ephemeral("Job \(jobID) is no longer waiting for a retry (it was retried already, or it is gone).")
        }
        let actor = action.userID
        try await context.storage.transaction { tx in
            try await tx.audit.record(actor: actor, action: "case.job_retried", subject: caseID, details: ["job": .number(Double(jobID))])
        }
        return .ephemeral("🔁 Job \(jobID) runs again now, with a fresh set of attempts. `\(context.usage("status"))` shows whether it gives up again.")
    }
}
