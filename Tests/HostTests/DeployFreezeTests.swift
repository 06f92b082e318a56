import CasebookKit
import CasebookTesting
import Testing

/// A plugin with a table, a durable job and a restart, tested through the live host.
@Suite("Plugin with storage and jobs: deploy freeze")
struct DeployFreezeTests {
    static let config = """
        plugins:
          freeze:
            enabled: true
            config:
              announce_channel: C0INCIDENTS
              max_duration: 2h
        """

    @Test func aFreezeIsAnnouncedAndLiftedWithItsButton() async throws {
        try await TestHost.withRunning(plugins: [DeployFreeze.self], config: Self.config) { host in
            let reply = try #require(try await host.slash("freeze database migration running", as: "alice", in: "general"))
            #expect(reply.text.hasPrefix("Freeze #1 is on until"))
            let announcement = try #require(host.simulator.messages(in: "incidents").last)
            #expect(announcement.text == "Deploy freeze: database migration running")

            try await host.click("freeze.lift", as: "bob", channel: "incidents", messageTS: announcement.ts, value: "1")
            try await host.waitUntil("the announcement is replaced") {
                host.simulator.message(in: "incidents", ts: announcement.ts)?.text == "Deploy freeze lifted by <@U0BOB>."
            }
            // Lifted by hand: the scheduled end was cancelled, so nothing more is posted.
            try await host.advance(by: .seconds(3 * 3600))
            #expect(host.simulator.messages(in: "incidents").count == 1)
            let trail = try await host.app.database.audit(plugin: "freeze").entries(subject: "freeze-1").map(\.action)
            #expect(trail == ["freeze.started", "freeze.lifted"])
        }
    }

    @Test func aFreezeEndsOnScheduleEvenAcrossARestart() async throws {
        try await TestHost.withRunning(plugins: [DeployFreeze.self], config: Self.config) { host in
            _ = try await host.slash("freeze quarter end", as: "alice", in: "general")
            try await host.restart()
            try await host.advance(by: .seconds(3600))
            #expect(host.simulator.messages(in: "incidents").count == 1)
            try await host.advance(by: .seconds(3600))
            try await host.waitUntil("the scheduled end is announced") {
                host.simulator.messages(in: "incidents").last?.text == "Deploy freeze #1 ended on schedule."
            }
        }
    }

    @Test func missingReasonGetsAUsageLine() async throws {
        try await TestHost.withRunning(plugins: [DeployFreeze.self], config: Self.config) { host in
            let reply = try await host.slash("freeze", as: "alice", in: "general")
            #expect(reply?.text == "Usage: `/case freeze <reason>`")
        }
    }
}
