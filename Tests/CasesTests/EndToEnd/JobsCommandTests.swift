import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// `/case jobs` (#18 point 8): a workspace admin sees every plugin's pending and dead jobs and
/// retries a dead one; anyone else is refused ephemerally and nothing changes.
@Suite struct JobsCommandTests {
    /// A case whose message refresh gave up (dead) and a reminder-like job an hour away (pending).
    private static func deadAndPending(_ host: TestHost) async throws -> (channel: String, dead: Int64, pending: Int64) {
        let channel = try await CasesHarness.open(host, "Checkout errors").id
        host.simulator.failWithServerError("chat.update", next: 1_000)
        try await host.join("bob", channel)
        try await host.slash("incident", as: "bob", in: channel)
        try await host.settleJobs()
        host.simulator.clearFaults()
        let dead = try #require(try await host.app.database.listJobs(states: ["dead"]).first).id
        let pending = try await host.app.database.jobs(plugin: CasesPlugin.id).schedule(
            name: "later_work", payload: .object(["case": .string("x")]), at: host.clock.now().addingTimeInterval(3_600), dedupeKey: "jobs-test")
        return (channel, dead, pending)
    }

    private static let config = CasesHarness.config().replacingOccurrences(of: "  sockets: 1\n", with: "  sockets: 1\n  jobs: { max_attempts: 1 }\n")

    @Test(arguments: TestDatabase.backends)
    func anAdminSeesDeadAndPendingJobsAndRetriesTheDeadOne(_ backend: TestDatabase.Backend) async throws {
        try await CasesHarness.run(config: Self.config, database: backend) { host in
            let (channel, dead, pending) = try await Self.deadAndPending(host)

            let listing = try #require(try await host.slash("jobs", as: "alice", in: channel)).allText  // alice is a workspace admin
            #expect(listing.contains("1 dead, 1 pending"), "\(listing)")
            #expect(listing.contains("Gave up:* `cases` `refresh_messages` (job \(dead))"), "\(listing)")
            #expect(listing.contains("`cases` `later_work` (job \(pending)) due"), "\(listing)")
            #expect(listing.contains(ActionID.retryAnyJob.wire))

            let shown = try #require(host.simulator.ephemeralMessages(for: "alice", in: channel).last { $0.text.contains("Jobs:") })
            try await host.click(ActionID.retryAnyJob.wire, as: "alice", channel: channel, messageTS: shown.ts, value: String(dead))
            try await host.waitUntil("the retry is acknowledged") {
                host.simulator.ephemeralMessages(for: "alice", in: channel).contains { $0.text.contains("Job \(dead) runs again now") }
            }
            #expect(try await host.app.database.listJobs(states: ["dead"]).isEmpty)
            try await host.settleJobs()
            #expect(try await host.app.database.listJobs(states: ["done"]).contains { $0.id == dead })
            let retried = try await host.app.database.auditEntries().filter { $0.action == "jobs.retried" }
            #expect(retried.map(\.actor) == ["U0ALICE"])
            #expect(retried.first?.subject == "job:\(dead)")

            // The listing now shows no dead job; the pending one is untouched.
            let after = try #require(try await host.slash("jobs", as: "alice", in: channel)).allText
            #expect(after.contains("0 dead, 1 pending"), "\(after)")
        }
    }

    @Test func aNonAdminIsRefusedPrivatelyAndNothingChanges() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let (channel, dead, _) = try await Self.deadAndPending(host)
            let before = CasesHarness.messages(host, in: channel).count
            let audited = try await host.app.database.auditEntries().count

            let reply = try #require(try await host.slash("jobs", as: "bob", in: channel))
            #expect(reply.text.contains("Only workspace admins and owners"), "\(reply.text)")
            #expect(reply.allText.contains("Gave up") == false)
            #expect(host.simulator.ephemeralMessages(for: "bob", in: channel).allSatisfy { !$0.text.contains("Jobs:") })

            #expect(try await host.app.database.listJobs(states: ["dead"]).map(\.id) == [dead])
            #expect(CasesHarness.messages(host, in: channel).count == before)
            #expect(host.simulator.directMessageChannel(with: "bob") == nil)
            #expect(try await host.app.database.auditEntries().count == audited)
        }
    }
}
