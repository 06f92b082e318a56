import CasebookKit
import CasesPlugin
import RolesPlugin

extension PagerDutyPlugin {
    /// Bring PagerDuty's alert for a case in line with the case.
    struct Sync: Codable, Sendable, Equatable {
        var caseID: String
    }

    static let sync = IntegrationCall<Sync>("sync_alert", service: EventsAPI.service)

    /// Queues one sync of the case's alert. Lifecycle events arrive at least once and in any order,
    /// so they do not say what to send: the sync job reads the case when it runs and sends what
    /// the difference between the case and what PagerDuty was last told calls for. Pending syncs
    /// of a case fold into one (dedupe key).
    func queueSync(caseID: String, channelID: String, _ context: PluginContext) async throws {
        let notice = FailureNotice(
            channel: channelID, subject: caseID, action: "update the PagerDuty incident for this case",
            fix: "check `plugins.pagerduty.config.routing_key` (the Events API v2 integration key of a PagerDuty service)")
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await AlertStore.ensure(caseID: caseID, channelID: channelID, at: now, on: tx.sql)
            try await tx.jobs.enqueue(Self.sync, Sync(caseID: caseID), notice: notice, dedupeKey: "sync:\(caseID)", at: now)
        }
    }

    /// The sync job: an escalated case wants a triggered alert at its current severity; a resolved
    /// or closed case that was triggered wants a resolve; anything else wants nothing. Sends at most
    /// one event, and none when PagerDuty already has what the case wants — so a retry, a
    /// redelivered event or a restart never pages twice (and the dedup key folds repeats anyway).
    func syncAlert(_ sync: Sync, _ context: PluginContext) async throws {
        guard let item = await CaseDirectory(context: context).case(id: sync.caseID) else { return }
        let record = try await context.storage.read { db in try await AlertStore.find(caseID: sync.caseID, on: db) }
        let event: AlertEvent
        switch item.status {
        case .escalated:
            let casebookSeverity = await Self.severity(of: item.id, context)
            let severity = configuration.pagerDutySeverity(casebookSeverity)
            if record?.state == "triggered", record?.severity == severity { return }
            event = .trigger(for: item, severity: severity, casebookSeverity: casebookSeverity, team: context.installation.teamID)
        case .resolved, .closed:
            guard record?.state == "triggered" else { return }
            event = .resolve(caseID: item.id)
        case .investigating:
            return
        }
        let api = EventsAPI(baseURL: configuration.eventsURL, routingKey: configuration.routingKey, http: context.http)
        let now = context.clock.now()
        do {
            _ = try await api.send(event)
        } catch {
            let reason = (error as? IntegrationError)?.reason ?? "\(error)"
            try? await context.storage.transaction { tx in try await AlertStore.recordError(caseID: item.id, error: reason, at: now, on: tx.sql) }
            throw error
        }
        let state = event.action == .trigger ? "triggered" : "resolved"
        try await context.storage.transaction { tx in
            try await AlertStore.recordSent(caseID: item.id, state: state, severity: event.action == .trigger ? event.severity : record?.severity, at: now, on: tx.sql)
            var details: [String: JSONValue] = ["dedup_key": .string(event.dedupKey)]
            if event.action == .trigger { details["severity"] = .string(event.severity) }
            try await tx.audit.record(actor: "casebook", action: "pagerduty.\(state)", subject: item.id, details: .object(details))
        }
        context.logger.info("PagerDuty alert \(state)", metadata: ["case": "\(item.id)", "dedup_key": "\(event.dedupKey)"])
    }

    /// The case's Casebook severity from the roles plugin; nil without it.
    static func severity(of caseID: String, _ context: PluginContext) async -> String? {
        await context.extensions.collect(RolesPlugin.severityOfCase, caseID, logger: context.logger).flatMap { $0 }.first
    }
}
