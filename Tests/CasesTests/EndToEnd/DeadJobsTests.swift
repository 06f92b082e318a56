import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// Work about a case that failed for good shows in `/case status` with a Retry button for the
/// commander or an admin (#17 point 4), besides `casebook jobs`.
@Suite struct DeadJobsTests {
    @Test(arguments: TestDatabase.backends)
    func aDeadJobShowsInStatusAndTheCommanderRetriesIt(_ backend: TestDatabase.Backend) async throws {
        let config = CasesHarness.config().replacingOccurrences(of: "  sockets: 1\n", with: "  sockets: 1\n  jobs: { max_attempts: 1 }\n")
        try await CasesHarness.run(config: config, database: backend) { host in
            let channel = try await CasesHarness.open(host, "Checkout errors").id
            let other = try await CasesHarness.open(host, "Unrelated").id
            // Slack refuses every message update while the case escalates: the refresh job gives up.
            host.simulator.failWithServerError("chat.update", next: 1_000)
            try await host.join("bob", channel)
            try await host.slash("incident", as: "bob", in: channel)
            try await host.settleJobs()
            let dead = try await host.app.database.listJobs(states: ["dead"])
            #expect(dead.map(\.name) == ["refresh_messages"])
            host.simulator.clearFaults()

            let status = try #require(try await host.slash("status", as: "carol", in: channel)).allText
            #expect(status.contains("Gave up:* `cases` `refresh_messages`"), "\(status)")
            #expect(status.contains(ActionID.retryJob.wire))
            // Another case's status does not show it.
            #expect(try #require(try await host.slash("status", as: "alice", in: other)).allText.contains("Gave up") == false)

            // Not the commander's, not an admin's: refused, nothing queued.
            try await host.join("carol", channel)
            let shown = try #require(host.simulator.ephemeralMessages(for: "carol", in: channel).last { $0.text.contains("Checkout errors") })
            try await host.click(ActionID.retryJob.wire, as: "carol", channel: channel, messageTS: shown.ts)
            try await host.waitUntil("the refusal") {
                host.simulator.ephemeralMessages(for: "carol", in: channel).contains { $0.text.contains("Only the incident commander") }
            }
            #expect(try await host.app.database.listJobs(states: ["dead"]).count == 1)

            // The commander retries it: it runs again and succeeds now that Slack is back.
            _ = try await host.slash("status", as: "bob", in: channel)
            let bobs = try #require(host.simulator.ephemeralMessages(for: "bob", in: channel).last { $0.text.contains("Checkout errors") })
            try await host.click(ActionID.retryJob.wire, as: "bob", channel: channel, messageTS: bobs.ts)
            try await host.waitUntil("the retry is acknowledged") {
                host.simulator.ephemeralMessages(for: "bob", in: channel).contains { $0.text.contains("runs again now") }
            }
            try await host.settleJobs()
            #expect(try await host.app.database.listJobs(states: ["dead"]).isEmpty)
            #expect(try #require(try await host.slash("status", as: "bob", in: channel)).allText.contains("Gave up") == false)
            #expect(try await CasesHarness.auditActions(host).contains("case.job_retried"))
        }
    }
}
