import CasebookKit

/// `/case jobs`: a workspace admin or owner sees the pending and dead jobs of every plugin, as
/// `casebook jobs` shows them to an operator, and retries a dead one with its button. Anyone else
/// is refused ephemerally before anything is read or changed.
extension CasesPlugin {
    func jobs(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply {
        try await requireWorkspaceAdmin(context)
        async let dead = context.jobs.everyPluginsJobs(states: ["dead"], limit: JobsMessage.deadShown)
        async let pending = context.jobs.everyPluginsJobs(states: ["pending"], limit: JobsMessage.pendingShown)
        return .ephemeral(JobsMessage.make(dead: try await dead, pending: try await pending))
    }

    /// "Retry" next to a dead job in `/case jobs`; the button's value is the job id.
    func retryAnyJobButton(_ action: BlockAction, _ context: InvocationContext) async throws -> Reply {
        guard let jobID = action.value.flatMap({ Int64($0) }) else { throw UserFacingError("This button no longer applies.") }
        try await requireWorkspaceAdmin(context)
        guard try await context.jobs.retry(anyDeadJobID: jobID) else {
            return .ephemeral("Job \(jobID) is no longer waiting for a retry (it was retried already, or it is gone).")
        }
        let actor = action.userID
        try await context.storage.transaction { tx in
            try await tx.audit.record(actor: actor, action: "jobs.retried", subject: "job:\(jobID)", details: ["job": .number(Double(jobID))])
        }
        return .ephemeral("🔁 Job \(jobID) runs again now, with a fresh set of attempts. `\(context.usage("jobs"))` shows whether it gives up again.")
    }

    private func requireWorkspaceAdmin(_ context: InvocationContext) async throws {
        guard try await actorIsWorkspaceAdmin(context) else {
            throw UserFacingError("Only workspace admins and owners can see and retry jobs. `casebook jobs` shows them to an operator.")
        }
    }
}
