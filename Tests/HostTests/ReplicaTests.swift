import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Synchronization
import Testing

/// Two hosts on one PostgreSQL database, started at once, as two replicas of a deployment (#17
/// point 5). Slack spreads deliveries over every open socket, so each replica sees some of them.
@Suite("Replicas on one PostgreSQL database", .enabled(if: TestDatabase.backends.contains(.postgres)))
struct ReplicaTests {
    /// One socket per replica (so deliveries alternate between them) and a limit of three.
    static let config = EndToEndTests.config.replacingOccurrences(
        of: "  rate_limit: { per_user: 5, per: 60s }", with: "  sockets: 1\n  rate_limit: { per_user: 3, per: 60s }")

    @Test func thePerUserRateLimitHoldsAcrossReplicas() async throws {
        try await TestHost.withReplicas(2, plugins: [ProbePlugin.self], config: Self.config) { hosts in
            let host = hosts[0]
            // Round robin over one socket per replica: bob's commands alternate between them, so a
            // per-process count would see two of his four and let all of them through.
            for index in 1...3 {
                #expect(try await host.slash("echo \(index)", as: "bob", in: "general")?.text == "echo: \(index)")
            }
            let limited = try #require(try await host.slash("echo 4", as: "bob", in: "general"))
            #expect(limited.text.hasPrefix("You're going a bit fast"), "\(limited.text)")
            #expect(Set(host.simulator.acks.map(\.connection)).count == 2, "both replicas answered")
            #expect(try await host.slash("echo 1", as: "carol", in: "general")?.text == "echo: 1")
        }
    }

    @Test func anEventRedeliveredToTheOtherReplicaIsHandledOnce() async throws {
        try await TestHost.withReplicas(2, plugins: [ProbePlugin.self], config: Self.config) { hosts in
            let simulator = hosts[0].simulator
            let event = try simulator.memberJoinedChannel(user: "U0DAVE", channel: "C0INCIDENTS")
            let eventID = try #require(event["event_id"]?.string)
            let first = try await simulator.deliver(event)
            let retry = try await simulator.redeliver(event, attempt: 1)
            #expect(first.acked && retry.acked)
            #expect(first.connection != retry.connection)
            try await hosts[0].waitUntil("the event is handled") { ProbePlugin.seenEvents.withLock { $0[eventID] } != nil }
            try await Task.sleep(for: .milliseconds(50))
            #expect(ProbePlugin.seenEvents.withLock { $0[eventID] } == 1)
        }
    }
}
