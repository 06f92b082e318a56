import CasebookKit
import CasesPlugin
import RolesPlugin

// What the plugin does when a case moves: every change that can alter what PagerDuty should show
// queues a sync of the case's alert (AlertSync.swift); an escalation also brings the people on
// call into the channel when `invite_oncall` is on.
extension PagerDutyPlugin {
    func escalated(_ event: CaseEscalated, _ context: PluginContext) async throws {
        try await queueSync(caseID: event.case.id, channelID: event.case.channelID, context)
        if configuration.inviteOncall, configuration.apiToken != nil {
            try await context.storage.transaction { tx in
                try await tx.jobs.enqueue(
                    Self.inviteOncall, Invite(caseID: event.case.id, channelID: event.case.channelID),
                    notice: FailureNotice(
                        channel: event.case.channelID, subject: event.case.id, action: "invite the people on call",
                        fix: "check `plugins.pagerduty.config.api_token` (a REST API key that can read on-calls)"),
                    dedupeKey: "invite:\(event.case.id)", at: context.clock.now())
            }
        }
    }

    func resolved(_ event: CaseResolved, _ context: PluginContext) async throws {
        try await queueSync(caseID: event.case.id, channelID: event.case.channelID, context)
    }

    func closed(_ event: CaseClosed, _ context: PluginContext) async throws {
        try await queueSync(caseID: event.case.id, channelID: event.case.channelID, context)
    }

    func severityChanged(_ event: SeverityChanged, _ context: PluginContext) async throws {
        try await queueSync(caseID: event.caseID, channelID: event.channelID, context)
    }
}
