import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import PagerDutyPlugin
import RolesPlugin
import Testing

/// Points 2, 3 and 6 of the PagerDuty issue: the alert follows the case through escalation,
/// severity changes and resolution, once per change, through outages and restarts.
@Suite struct AlertTests {
    @Test func anInvestigationSendsNothingAndEscalationTriggersOneAlert() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config()) { host, pagerduty in
            let channel = try await PagerDutyHarness.open(host, "API latency up")
            try await host.settleJobs()
            #expect(pagerduty.acceptedEvents.isEmpty)

            _ = try await host.slash("incident", as: "alice", in: channel)
            try await host.settleJobs()
            let caseID = try await PagerDutyHarness.caseID(host, channel: channel)
            let events = pagerduty.acceptedEvents
            try #require(events.count == 1)
            let trigger = events[0]
            #expect(trigger.action == .trigger)
            #expect(trigger.routingKey == PagerDutyHarness.routingKey)
            #expect(trigger.dedupKey == "casebook-\(caseID)")
            #expect(trigger.summary == "API latency up")
            #expect(trigger.source == host.simulator.workspace.teamID)
            #expect(trigger.severity == "critical")  // no roles plugin
            #expect(trigger.customDetails?["case_id"]?.string == caseID)
            #expect(trigger.customDetails?["channel_id"]?.string == channel)
            #expect(trigger.customDetails?["commander"]?.string == "U0ALICE")
            #expect(trigger.customDetails?["status"]?.string == "Incident")
            #expect(trigger.links.first?.href.contains(channel) == true)
            #expect(pagerduty.alerts.filter { $0.isOpen }.count == 1)

            let actions = try await host.app.database.audit(plugin: "pagerduty").entries(subject: caseID).map(\.action)
            #expect(actions.contains("pagerduty.triggered"))
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*PagerDuty:* triggered (critical) · dedup key `casebook-\(caseID)`") == true, "\(status?.allText ?? "")")
        }
    }

    @Test func severityChangesRetriggerAndResolveResolvesWithTheSameKey() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(roles: true), roles: true) { host, pagerduty in
            let channel = try await PagerDutyHarness.incident(host)
            let caseID = try await PagerDutyHarness.caseID(host, channel: channel)
            // The default severity (sev4) is known when the trigger goes out: one trigger, at info.
            #expect(pagerduty.acceptedEvents.map { "\($0.action.rawValue) \($0.severity ?? "-")" } == ["trigger info"])

            _ = try await host.slash("severity sev1", as: "alice", in: channel)
            try await host.settleJobs()
            _ = try await host.slash("severity sev1", as: "alice", in: channel)  // no change, nothing sent
            try await host.settleJobs()
            _ = try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()

            let events = pagerduty.acceptedEvents
            #expect(events.map { "\($0.action.rawValue) \($0.severity ?? "-")" } == ["trigger info", "trigger critical", "resolve -"])
            #expect(Set(events.map(\.dedupKey)) == ["casebook-\(caseID)"])
            #expect(pagerduty.alerts.count == 1)
            #expect(pagerduty.alerts.first?.isOpen == false)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*PagerDuty:* resolved") == true)

            // Closing a resolved case tells PagerDuty nothing new.
            _ = try await host.slash("close", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(pagerduty.acceptedEvents.count == 3)
        }
    }

    @Test func aRateLimitThenSuccessSendsOneAlert() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config()) { host, pagerduty in
            pagerduty.events.inject(.tooManyRequests(retryAfter: "1"))
            _ = try await PagerDutyHarness.incident(host)
            try await host.waitUntil("the alert after the 429") { !pagerduty.acceptedEvents.isEmpty }
            try await host.settleJobs()
            #expect(pagerduty.events.received("POST", "/v2/enqueue").count == 2)
            #expect(pagerduty.acceptedEvents.count == 1)
            #expect(pagerduty.alerts.count == 1)
        }
    }

    @Test func anInvalidRoutingKeyIsReportedOnceAndNotRetried() async throws {
        // 32 alphanumerics, so check-config accepts it, but PagerDuty does not know it.
        let unknown = String(repeating: "0", count: 32)
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(), environment: PagerDutyHarness.environment(routingKey: unknown)) {
            host, pagerduty in
            let channel = try await PagerDutyHarness.incident(host)
            try await host.waitUntil("the failure notice") {
                PagerDutyHarness.texts(host, in: channel).contains { $0.contains("Casebook could not update the PagerDuty incident") }
            }
            try await host.settleJobs()
            try await host.advance(by: .seconds(6 * 3600))
            try await host.settleJobs()
            #expect(pagerduty.events.received("POST", "/v2/enqueue").count == 1)
            let notices = PagerDutyHarness.texts(host, in: channel).filter { $0.contains("Casebook could not update the PagerDuty incident") }
            #expect(notices.count == 1)
            #expect(notices.first?.contains("Invalid routing key") == true, "\(notices)")
            #expect(notices.first?.contains("plugins.pagerduty.config.routing_key") == true)
            #expect(notices.first?.contains(unknown) == false)
            #expect(host.simulator.messages(in: channel).contains { $0.text.contains("could not update") && !$0.blocks.isEmpty })
            let dead = try await host.app.database.listJobs(states: ["dead"])
            #expect(dead.map { "\($0.plugin).\($0.name)" } == ["pagerduty.sync_alert"])
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*PagerDuty last error:*") == true)
        }
    }

    @Test func aRestartBetweenEscalationAndTheCallDeliversItOnce() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config()) { host, pagerduty in
            // Every in-process attempt fails, so the job waits for its next durable try.
            pagerduty.events.inject(.status(503), count: 3)
            let channel = try await PagerDutyHarness.open(host)
            _ = try await host.slash("incident", as: "alice", in: channel)
            try await host.waitUntil("three attempts") { pagerduty.events.received("POST", "/v2/enqueue").count == 3 }
            try await host.settleJobs()
            #expect(pagerduty.acceptedEvents.isEmpty)
            try await host.restart()
            try await host.advance(by: .seconds(60))
            try await host.waitUntil("the alert after the restart") { pagerduty.acceptedEvents.count == 1 }
            try await host.advance(by: .seconds(3600))
            #expect(pagerduty.acceptedEvents.count == 1)
            #expect(pagerduty.alerts.count == 1)
        }
    }

    @Test func theRoutingKeyAndTokenNeverAppearInLogs() async throws {
        let logs = CapturedLogs()
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(apiToken: true), logs: logs) { host, pagerduty in
            let refusal: JSONValue = [
                "status": "invalid event", "message": "Event object is invalid",
                "errors": .array([.string("routing_key \(PagerDutyHarness.routingKey) refused")]),
            ]
            pagerduty.events.inject(.status(400, body: refusal))
            let broken: JSONValue = ["error": ["message": .string("token \(PagerDutyHarness.token) broke")]]
            pagerduty.rest.inject(.status(500, body: broken), count: 5)
            let channel = try await PagerDutyHarness.incident(host)
            _ = try await host.slash("oncall", as: "alice", in: channel)
            try await host.settleJobs()
            try await host.waitUntil("the failure notice") {
                PagerDutyHarness.texts(host, in: channel).contains { $0.contains("could not update the PagerDuty incident") }
            }
            #expect(logs.all.contains("integration call failed for good"))
            #expect(!logs.all.contains(PagerDutyHarness.routingKey))
            #expect(!logs.all.contains(PagerDutyHarness.token))
            let dead = try await host.app.database.listJobs(states: ["dead"])
            #expect(dead.allSatisfy { !($0.lastError ?? "").contains(PagerDutyHarness.routingKey) })
        }
    }
}
