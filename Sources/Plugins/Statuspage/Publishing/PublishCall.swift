import CasebookKit

/// The durable publish call queued by an approval. It reaches Statuspage only through
/// `context.approvals.execute`, which re-reads the approval and refuses unless it is approved and
/// unchanged: a second click, an edit after approval, a discarded draft or a missing row send
/// nothing. A restart between approval and publication runs it again; ``Publisher`` makes a repeat
/// harmless.
extension StatuspagePlugin {
    func publishJob(_ job: Publish, _ context: PluginContext) async throws {
        let publisher = Publisher(api: api(context))
        let outcome: GateOutcome
        do {
            outcome = try await context.approvals.execute(job.approvalID) { approval in
                let draft = try Draft(approval)
                let known = try await context.storage.read { db in try await StatuspageStore.incident(caseID: draft.caseID, on: db) }
                let incident = try await publisher.publish(draft, known: known?.incident.id)
                let record = IncidentRecord(
                    caseID: draft.caseID, incident: incident, publishedAt: context.clock.now(), approvedBy: approval.decidedBy, draft: draft)
                try await context.storage.transaction { tx in
                    try await StatuspageStore.recordIncident(record, on: tx.sql)
                    try await tx.audit.record(
                        actor: approval.decidedBy ?? "casebook", action: "statuspage.published", subject: draft.caseID,
                        details: [
                            "approval": .string(approval.id), "incident": .string(incident.id), "status": .string(draft.status.rawValue),
                            "created": .bool(known == nil),
                        ])
                }
                return try JSONValue.from(incident)
            }
        } catch let error as IntegrationError where !error.retryable || JobExecution.current?.isLastAttempt == true {
            if let approval = try await context.approvals.approval(job.approvalID) { await showDraft(approval, failure: error.reason, context) }
            throw error
        }
        switch outcome {
        case .done(let executed):
            await showDraft(executed, context)
            context.logger.info("status page update published", metadata: ["case": "\(job.caseID)", "approval": "\(executed.id)"])
        case .refused(let refusal, _):
            context.logger.info("publish call refused by the gate", metadata: ["approval": "\(job.approvalID)", "refusal": "\(refusal.rawValue)"])
        }
    }
}
