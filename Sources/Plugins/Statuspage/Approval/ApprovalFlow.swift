import CasebookKit

/// Approve & publish: the click goes through the kit's gate, which re-reads the approval in the
/// decision's transaction, checks that the clicker is an approver and that the draft is exactly
/// the one they saw, and only then queues the durable publish call in that same transaction.
/// Anyone else gets an ephemeral refusal and nothing is queued.
extension StatuspagePlugin {
    /// Publish an approved draft (handled in `Publishing/PublishCall.swift`).
    struct Publish: Codable, Sendable, Equatable {
        var approvalID: String
        var caseID: String
        var channelID: String
    }

    static let publish = IntegrationCall<Publish>("publish", service: StatuspageAPI.service)

    func approveButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        guard let (id, shownHash) = Approval.decision(from: action.value), let approval = try await context.approvals.approval(id) else {
            return .ephemeral("\(GateOutcome.Refusal.notFound.message) Nothing was published.")
        }
        let approvers = await Approvers.resolve(approval.approvers, caseID: approval.subject, context)
        let allowed = approvers.allowed
        let draft = try Draft(approval)
        let job = Publish(approvalID: id, caseID: approval.subject, channelID: draft.channelID)
        let notice = Self.publishNotice(job)
        let now = context.clock.now()
        let outcome = try await context.approvals.approve(id, by: action.userID, allowed: allowed, shownHash: shownHash) { tx, approved in
            try await tx.jobs.enqueue(Self.publish, job, notice: notice, dedupeKey: Self.publishKey(approved.id), at: now)
        }
        switch outcome {
        case .done(let approved):
            await showDraft(approved, context)
            return .ack
        case .refused(.alreadyApproved, let current?) where allowed.contains(action.userID) && current.contentHash == shownHash:
            return try await publishAgain(job, by: action.userID, context)
        case .refused(.notAllowed, _):
            return .ephemeral("Only \(approvers.description) can approve this status page update. Nothing was published.")
        case .refused(let refusal, _):
            return .ephemeral("\(refusal.message) Nothing was published.")
        }
    }

    /// An approved draft whose publication failed for good (a 401 fixed since, a 422) is approved
    /// again by its approver: its dead call runs again. A call still queued or running is left alone.
    func publishAgain(_ job: Publish, by user: String, _ context: PluginContext) async throws -> Reply {
        let key = Self.publishKey(job.approvalID)
        let calls = try await context.jobs.jobs(states: ["pending", "running", "dead"]).filter { $0.dedupeKey == key }
        if calls.contains(where: { $0.state != "dead" }) {
            return .ephemeral("It is approved already and on its way to Statuspage.")
        }
        if let dead = calls.first {
            _ = try await context.jobs.retry(jobID: dead.id)
        } else {
            let notice = Self.publishNotice(job)
            let now = context.clock.now()
            try await context.storage.transaction { tx in
                try await tx.jobs.enqueue(Self.publish, job, notice: notice, dedupeKey: key, at: now)
            }
        }
        try await context.audit.record(actor: user, action: "statuspage.publish_retried", subject: job.caseID, details: ["approval": .string(job.approvalID)])
        if let approval = try await context.approvals.approval(job.approvalID) { await showDraft(approval, context) }
        return .ack
    }

    static func publishKey(_ approvalID: String) -> String { "publish:\(approvalID)" }

    static func publishNotice(_ job: Publish) -> FailureNotice {
        FailureNotice(
            channel: job.channelID, subject: job.caseID, action: "publish the approved status page update",
            fix: "check `plugins.statuspage.config.api_key` and `page_id`, or edit the draft, then approve it again")
    }
}
