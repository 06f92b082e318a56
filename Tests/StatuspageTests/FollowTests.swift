import CasebookTesting
import Testing
@testable import StatuspagePlugin

/// Point 5: the plugin follows the incident with drafts, never with publications, and `/case status` says where it stands.
@Suite struct FollowTests {
    @Test func phaseChangesAndTheResolutionProposeDraftsThatWaitForApproval() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let first = try await StatuspageHarness.draft(host, channel, components: [StatuspageHarness.api: "major_outage"])
            try await StatuspageHarness.click(host, first, "statuspage.approve", as: "alice")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            try await host.settleJobs()

            try await host.slash("phase identified", as: "alice", in: channel)
            try await host.settleJobs()
            let identified = try await StatuspageHarness.latestDraft(host, channel)
            #expect(identified.ts != first.ts)
            #expect(StatuspageHarness.text(identified).contains("*Status:* Identified"))
            #expect(StatuspageHarness.text(identified).contains("API → Major outage"))
            #expect(StatuspageHarness.text(identified).contains("awaiting approval"))
            #expect(fake.incidents.first?.updates.count == 1, "nothing published on its own")

            try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()
            let resolved = try await StatuspageHarness.latestDraft(host, channel)
            #expect(StatuspageHarness.text(resolved).contains("*Status:* Resolved"))
            #expect(StatuspageHarness.text(resolved).contains("API → Operational"))
            #expect(StatuspageHarness.drafts(host, channel).count == 3, "one draft per phase, not one per event")
            #expect(fake.incidents.first?.updates.count == 1)

            let status = try #require(try await host.slash("status", as: "bob", in: channel)).allText
            #expect(status.contains("*Statuspage:* published — Investigating"))
            #expect(status.contains("*Statuspage draft:* Resolved, awaiting approval by the incident commander (<@U0ALICE>)"))

            try await StatuspageHarness.click(host, resolved, "statuspage.approve", as: "alice")
            try await host.waitUntil("the resolution") { fake.incidents.first?.status == "resolved" }
            #expect(fake.components.first { $0.id == StatuspageHarness.api }?.status == "operational")
            #expect(fake.incidents.first?.resolvedAt != nil)
            let after = try #require(try await host.slash("status", as: "bob", in: channel)).allText
            #expect(after.contains("*Statuspage:* published — Resolved"))
            #expect(after.contains(fake.incidents.first?.shortlink ?? "?"))
        }
    }

    @Test func followingCanBeSwitchedOff() async throws {
        try await StatuspageHarness.run(config: StatuspageHarness.config(statuspage: "propose_on_phase_change: false")) { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            try await host.slash("phase identified", as: "alice", in: channel)
            try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(StatuspageHarness.drafts(host, channel).isEmpty)
            let status = try #require(try await host.slash("status", as: "bob", in: channel)).allText
            #expect(status.contains("*Statuspage:* not published"))
            #expect(fake.service.received.isEmpty)
        }
    }
}
