import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Issue 19 point 3: the incident metrics on `/metrics`, scraped over HTTP after a scripted
/// lifecycle — counters by source, lifecycle times from the (manual) clock, gauges read from
/// storage and therefore right after a restart.
@Suite struct IncidentMetricsTests {
    /// On both backends: the gauges' and the job backlog's SQL runs on SQLite and PostgreSQL.
    @Test(arguments: TestDatabase.backends)
    func aScriptedLifecycleShowsOnMetricsAndTheGaugesSurviveARestart(backend: TestDatabase.Backend) async throws {
        try await ObservabilityHarness.run(database: backend) { host, pagerduty in
            let fresh = try await ObservabilityHarness.scrape(host)
            // Declared at zero before the first case, so rate() and the dashboard start from 0.
            #expect(fresh.value("casebook_cases_opened_total", ["source": "shortcut"]) == 0)
            #expect(fresh.value("casebook_cases_escalated_total", ["source": "reaction"]) == 0)
            #expect(fresh.value("casebook_open_cases", ["kind": "incident"]) == 0)
            #expect(fresh.value("casebook_open_incidents", ["severity": "sev1"]) == 0)
            #expect(fresh.value("slack_sockets_connected") == 1)

            // An investigation, escalated by command 10 minutes later, then made SEV1.
            let checkout = try await ObservabilityHarness.open(host, "Checkout errors")
            try await host.advance(by: .seconds(600))
            try await host.slash("incident", as: "alice", in: checkout)
            try await host.slash("severity sev1", as: "alice", in: checkout)
            // An alert opens a second case and escalates it at once (severity critical).
            let answer = try await ObservabilityHarness.postAlert(
                host, ObservabilityHarness.oncall("alert group created", state: "firing", id: "IOBS1", severity: "critical"))
            #expect(answer.status == 202)
            // A third case stays an investigation.
            _ = try await ObservabilityHarness.open(host, "Search is slow")
            try await host.settleJobs()

            let during = try await ObservabilityHarness.scrape(host)
            #expect(during.value("casebook_cases_opened_total", ["source": "command"]) == 2, "\(during)")
            #expect(during.value("casebook_cases_opened_total", ["source": "alert"]) == 1)
            #expect(during.value("casebook_cases_escalated_total", ["source": "command"]) == 1)
            #expect(during.value("casebook_cases_escalated_total", ["source": "alert"]) == 1)
            #expect(during.value("casebook_case_time_to_escalate_seconds_count") == 2)
            // 600 s for the commanded one, 0 for the alert's (same clock reading).
            #expect(abs((during.value("casebook_case_time_to_escalate_seconds_sum") ?? 0) - 600) < 0.01)
            #expect(during.value("casebook_war_room_assembly_seconds_count") == 3)
            #expect(during.value("casebook_open_cases", ["kind": "investigation"]) == 1)
            #expect(during.value("casebook_open_cases", ["kind": "incident"]) == 2)
            #expect(during.value("casebook_open_incidents", ["severity": "sev1"]) == 1)
            #expect(during.value("casebook_open_incidents", ["severity": "sev2"]) == 1)
            #expect(during.value("casebook_open_incidents", ["severity": "sev3"]) == 0)
            #expect(during.value("casebook_jobs_pending") == 0)
            #expect(during.value("casebook_jobs_dead") == 0)
            #expect(pagerduty.events.received("POST", "/v2/enqueue").count >= 2, "PagerDuty was paged for both incidents")
            // One per durable call that ran (alert syncs, on-call invitations), each once.
            let calls = try await host.app.database.listJobs(states: ["done"]).filter {
                $0.plugin == "pagerduty" && ["sync_alert", "invite_oncall"].contains($0.name)
            }
            #expect(calls.count >= 2)
            #expect(during.value("casebook_integration_calls_total", ["integration": "PagerDuty", "outcome": "succeeded"]) == Double(calls.count))

            // A new process: counters start again, the gauges are read from storage.
            try await host.restart()
            let restarted = try await ObservabilityHarness.scrape(host)
            #expect(restarted.value("casebook_cases_opened_total", ["source": "command"]) == 0)
            #expect(restarted.value("casebook_open_cases", ["kind": "investigation"]) == 1)
            #expect(restarted.value("casebook_open_cases", ["kind": "incident"]) == 2)
            #expect(restarted.value("casebook_open_incidents", ["severity": "sev1"]) == 1)
            #expect(restarted.value("casebook_open_incidents", ["severity": "sev2"]) == 1)

            // 30 minutes on: both incidents' first reminders (20 min after escalation) go out.
            try await host.advance(by: .seconds(1800))
            // PagerDuty refuses the resolve event for good: one dead job.
            pagerduty.events.inject(.status(400, body: ["status": "invalid event", "message": "Event object is invalid"]))
            try await host.slash("resolve", as: "alice", in: checkout)
            try await host.settleJobs()
            try await host.advance(by: .seconds(60))
            try await host.slash("close", as: "alice", in: checkout)
            // The alert resolves its own incident.
            try await ObservabilityHarness.postAlert(
                host, ObservabilityHarness.oncall("resolve", state: "resolved", id: "IOBS1", severity: "critical"))
            try await host.settleJobs()

            let after = try await ObservabilityHarness.scrape(host)
            #expect(after.value("casebook_cases_resolved_total", ["source": "command"]) == 1, "\(after)")
            #expect(after.value("casebook_cases_resolved_total", ["source": "alert"]) == 1)
            #expect(after.value("casebook_cases_closed_total", ["source": "command"]) == 1)
            #expect(after.value("casebook_case_time_to_resolve_seconds_count") == 2)
            // Escalated at t=600 and t=600; resolved at t=2400 (by command) and t=2460 (by the alert).
            #expect(abs((after.value("casebook_case_time_to_resolve_seconds_sum") ?? 0) - (1800 + 1860)) < 0.01)
            #expect(after.value("casebook_case_time_to_resolve_seconds_bucket", ["le": "1800.0"]) == 1)
            #expect(abs((after.value("casebook_case_time_to_close_seconds_sum") ?? 0) - 2460) < 0.01)
            #expect(after.value("casebook_reminders_sent_total") == 2)
            #expect(after.value("casebook_open_cases", ["kind": "investigation"]) == 1)
            // The alert's case is resolved, its channel still open for follow-up.
            #expect(after.value("casebook_open_cases", ["kind": "incident"]) == 1)
            #expect(after.value("casebook_open_incidents", ["severity": "sev1"]) == 0, "a severity no longer open goes to 0")
            #expect(after.value("casebook_open_incidents", ["severity": "sev2"]) == 0)
            #expect(after.value("casebook_jobs_dead") == 1)
            #expect(after.value("casebook_integration_calls_total", ["integration": "PagerDuty", "outcome": "dead"]) == 1)
            #expect(!after.text.contains("U0ALICE") && !after.text.contains("case_id"), "labels carry no user or case ids")
        }
    }

    /// The summary's buttons count as `button`, the Roles panel's status select too.
    @Test func buttonsAreTheirOwnSource() async throws {
        try await ObservabilityHarness.run { host, _ in
            let channel = try await ObservabilityHarness.open(host, "Login page is blank")
            let caseID = try #require(try await host.app.database.auditEntries().first { $0.action == "case.opened" }?.subject)
            let summary = try #require(host.simulator.messages(in: channel).first { "\($0.blocks)".contains("cases.escalate") })
            try await host.join("bob", channel)
            try await host.click("cases.escalate", as: "bob", channel: channel, messageTS: summary.ts, value: caseID)
            try await host.settleJobs()
            let panel = try #require(host.simulator.messages(in: channel).first { "\($0.blocks)".contains("roles.status") })
            try await host.click("roles.status", as: "bob", channel: channel, messageTS: panel.ts, selectedOption: "resolved")
            try await host.settleJobs()

            let scrape = try await ObservabilityHarness.scrape(host)
            #expect(scrape.value("casebook_cases_opened_total", ["source": "command"]) == 1, "\(scrape)")
            #expect(scrape.value("casebook_cases_escalated_total", ["source": "button"]) == 1)
            #expect(scrape.value("casebook_cases_escalated_total", ["source": "command"]) == 0)
            #expect(scrape.value("casebook_cases_resolved_total", ["source": "button"]) == 1)
        }
    }
}
