import CasebookHost
import CasebookKit
import CasebookTesting
import Testing
@testable import StatusProvidersPlugin

/// Point 4: the watch posts once per change (new incident, update, resolved), to the watch channel
/// and threaded under the snapshot in escalated case channels, and not again after a restart.
@Suite struct WatchTests {
    static let poll = Duration.seconds(300)

    @Test func aChangeIsPostedOnceEverywhereAndNotAgainAfterARestart() async throws {
        try await StatusProvidersHarness.run { host, fake in
            let watch = StatusProvidersHarness.watchChannel
            let incident = try await StatusProvidersHarness.incident(host)
            let investigation = try await StatusProvidersHarness.open(host, "Slow search")
            let snapshot = try #require(StatusProvidersHarness.snapshots(host, incident).first)
            fake.service.clearReceived()

            // The first poll is a baseline: nothing to tell.
            try await host.advance(by: Self.poll)
            #expect(StatusProvidersHarness.changes(host, watch).isEmpty)
            #expect(fake.service.received.count == 5, "one request per provider per poll")

            fake.set(.minorIncident, for: "github")
            try await host.advance(by: Self.poll)
            let opened = StatusProvidersHarness.changes(host, watch)
            try #require(opened.count == 1)
            let text = StatusProvidersHarness.text(opened[0])
            #expect(text.contains("|GitHub>*: All Systems Operational → *Minor Service Outage*"), "\(text)")
            #expect(text.contains("🆕 *<") && text.contains("new incident: <https://stspg.io/github-inc-minor|Delayed webhook deliveries>"))
            let threaded = StatusProvidersHarness.changes(host, incident)
            #expect(threaded.count == 1)
            #expect(threaded.first?.threadTS == snapshot.ts, "threaded under the case's snapshot")
            #expect(StatusProvidersHarness.changes(host, investigation).isEmpty, "only escalated cases hear it")
            #expect(fake.service.received.count == 10)

            // Unchanged: nothing more.
            try await host.advance(by: Self.poll)
            #expect(StatusProvidersHarness.changes(host, watch).count == 1)

            fake.addUpdate("A fix is deployed; we are monitoring.", for: "github")
            try await host.advance(by: Self.poll)
            let updates = StatusProvidersHarness.changes(host, watch)
            try #require(updates.count == 2)
            #expect(StatusProvidersHarness.text(updates[1]).contains("update: <https://stspg.io/github-inc-minor|Delayed webhook deliveries> — monitoring: A fix is deployed"))

            fake.set(.operational, for: "github")
            try await host.advance(by: Self.poll)
            let resolved = StatusProvidersHarness.changes(host, watch)
            try #require(resolved.count == 3)
            let last = StatusProvidersHarness.text(resolved[2])
            #expect(last.contains("✅ *<") && last.contains("resolved: <https://stspg.io/github-inc-minor|Delayed webhook deliveries>"), "\(last)")
            #expect(last.contains("Minor Service Outage → *All Systems Operational*"))
            #expect(StatusProvidersHarness.changes(host, incident).count == 3)

            // A restart reads the same state and remembers it was told.
            try await host.restart()
            try await host.advance(by: Self.poll)
            try await host.advance(by: Self.poll)
            #expect(StatusProvidersHarness.changes(host, watch).count == 3)
            #expect(StatusProvidersHarness.changes(host, incident).count == 3)
        }
    }

    @Test func anUnknownReadingChangesNothingAndTheStatusLineUsesTheStoredState() async throws {
        try await StatusProvidersHarness.run { host, fake in
            let watch = StatusProvidersHarness.watchChannel
            let channel = try await StatusProvidersHarness.incident(host)
            fake.set(.majorOutage, for: "cloudflare")
            try await host.advance(by: Self.poll)  // baseline, with the outage
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*Vendors:* Cloudflare (Major Service Outage) not operational") == true, "\(status?.allText ?? "")")

            fake.fail("cloudflare", with: .status(500), count: 1)
            try await host.advance(by: Self.poll)
            #expect(StatusProvidersHarness.changes(host, watch).isEmpty, "a failed read is not a change")
            try await host.advance(by: Self.poll)
            #expect(StatusProvidersHarness.changes(host, watch).isEmpty, "still the same outage")
        }
    }
}
