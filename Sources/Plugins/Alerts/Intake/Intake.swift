import CasebookKit

extension AlertsPlugin {
    /// Stores the delivery and schedules its job in one transaction, then answers 202: a duplicate
    /// is answered the same and changes nothing; storage that is down answers 503 so the sender
    /// retries (Alertmanager retries only 5xx).
    func accept(_ notice: AlertNotice, _ context: PluginContext) async throws -> WebhookResponse {
        do {
            let now = context.clock.now()
            try await context.storage.transaction { tx in
                guard try await tx.deliveries.firstSeen(notice.deliveryID) else { return }
                try await tx.jobs.schedule(Self.handle, notice, at: now)
            }
        } catch {
            context.logger.error("alert delivery not stored", metadata: ["source": "\(notice.source.rawValue)", "error": "\(error)"])
            return WebhookRejection(status: 503, "the delivery could not be stored; retry later").response
        }
        return .accepted
    }
}
