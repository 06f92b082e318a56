import CasebookHost
import CasebookKit
import CasebookTesting
import Testing
@testable import StatusProvidersPlugin

/// Point 3: the snapshot an escalation posts into the case channel.
@Suite struct IncidentTests {
    @Test func escalationPostsOnlyTheProvidersInTrouble() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.set(.majorOutage, for: "github")
            fake.fail("heroku", with: .status(502))
            let investigation = try await StatusProvidersHarness.open(host)
            try await host.settleJobs()
            #expect(StatusProvidersHarness.snapshots(host, investigation).isEmpty, "an investigation gets no snapshot")

            try await host.slash("incident", as: "alice", in: investigation)
            try await host.settleJobs()
            let snapshots = StatusProvidersHarness.snapshots(host, investigation)
            try #require(snapshots.count == 1)
            let text = StatusProvidersHarness.text(snapshots[0])
            #expect(text.contains("2 of 5 watched providers not operational"), "\(text)")
            #expect(text.contains("|GitHub>* — Major Service Outage"))
            #expect(StatusProvidersHarness.line(text, "Heroku").contains("status unknown (HTTP 502"))
            for title in ["Cloudflare", "Auth0", "Slack"] { #expect(!text.contains("|\(title)>"), "\(title) is operational: not shown") }
        }
    }

    @Test func allOperationalIsOneLine() async throws {
        try await StatusProvidersHarness.run { host, _ in
            let channel = try await StatusProvidersHarness.incident(host)
            let snapshots = StatusProvidersHarness.snapshots(host, channel)
            try #require(snapshots.count == 1)
            let text = StatusProvidersHarness.text(snapshots[0])
            #expect(text.contains("All 5 watched providers operational"))
            #expect(!text.contains("|GitHub>"), "no provider sections: \(text)")
        }
    }

    @Test func theSnapshotCanBeSwitchedOffAndTheEscalationNeverWaitsOnProviders() async throws {
        try await StatusProvidersHarness.run(config: StatusProvidersHarness.config("snapshot_on_escalation: false")) { host, fake in
            let channel = try await StatusProvidersHarness.incident(host)
            #expect(StatusProvidersHarness.snapshots(host, channel).isEmpty)
            #expect(fake.service.received.isEmpty)
        }
        try await StatusProvidersHarness.run { host, fake in
            // Every provider hangs: the escalation still acks and the case is escalated.
            for name in StatusProvidersHarness.providerNames { fake.fail(name, with: .latency(StatusProvidersHarness.slow)) }
            let channel = try await StatusProvidersHarness.open(host)
            let reply = try await host.slash("incident", as: "alice", in: channel)
            #expect(reply != nil)
            try await host.settleJobs()
            let text = StatusProvidersHarness.text(try #require(StatusProvidersHarness.snapshots(host, channel).first))
            #expect(text.contains("5 of 5 watched providers not operational"))
            #expect(text.components(separatedBy: "status unknown (it did not answer in time)").count == 6, "\(text)")
        }
    }
}
