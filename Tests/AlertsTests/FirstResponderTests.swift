import AlertsPlugin
import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import PagerDutyPlugin
import Testing

/// With the PagerDuty plugin on, an alert's incident is commanded by the level-1 person on call
/// who has a Slack account; without it (or without anyone), command stays open.
@Suite struct FirstResponderTests {
    static func config(policy: String) -> String {
        AlertsHarness.config(["escalate_when: { severity: critical }"]) + """
              pagerduty:
                enabled: auto
                config:
                  routing_key: ${PAGERDUTY_ROUTING_KEY:-}
                  api_token: ${PAGERDUTY_API_TOKEN:-}
                  escalation_policy_ids: [\(policy)]

            """
    }

    static func run(policy: String, _ body: @Sendable (TestHost) async throws -> Void) async throws {
        let environment = [
            "ALERTS_WEBHOOK_TOKEN": AlertsHarness.token, "PAGERDUTY_ROUTING_KEY": FakePagerDuty.seededRoutingKey,
            "PAGERDUTY_API_TOKEN": FakePagerDuty.seededAPIToken,
        ]
        try await TestHost.withRunning(
            plugins: [CasesPlugin.self, AlertsPlugin.self, PagerDutyPlugin.self], config: config(policy: policy), environment: environment,
            fakes: [FakePagerDuty.seeded()], body)
    }

    @Test func theLevelOneOnCallPersonTakesCommand() async throws {
        // The seeded Payments policy has bob at level 1 now.
        try await Self.run(policy: "PPAYMNT") { host in
            try await AlertsHarness.postOnCall(host, AlertsHarness.oncall("alert group created", labels: #"{"severity":"critical"}"#))
            try await host.settleJobs()
            let channel = try AlertsHarness.onlyCaseChannel(host)
            let changes = try await host.app.database.auditEntries().filter { $0.action == "case.commander_changed" }
            #expect(changes.map { $0.details["to"]?.string } == ["U0BOB"])
            #expect(host.simulator.channel(channel.id)?.members.contains("U0BOB") == true)
        }
    }

    @Test func nobodyOnCallWithASlackAccountLeavesCommandOpen() async throws {
        try await Self.run(policy: "PNOBODY") { host in
            try await AlertsHarness.postOnCall(host, AlertsHarness.oncall("alert group created", labels: #"{"severity":"critical"}"#))
            try await host.settleJobs()
            let channel = try AlertsHarness.onlyCaseChannel(host)
            #expect(try await host.app.database.auditEntries().filter { $0.action == "case.commander_changed" }.isEmpty)
            #expect(host.simulator.messages(in: channel.id).contains { $0.text.contains("Nobody commands it yet") })
        }
    }
}
