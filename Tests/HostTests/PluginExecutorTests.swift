import CasebookKit
import CasebookTesting
import Dispatch
import Foundation
import NIOPosix
import Synchronization
import Testing

/// Answers where its handler runs, and blocks its thread on request: issue #10 point 6 (plugin
/// code off the Socket Mode socket's event loop).
struct ThreadProbePlugin: StatelessPlugin {
    static let id = "threadprobe"
    /// Released by the test once the other envelopes were acked.
    static let gate = DispatchSemaphore(value: 0)
    static let blocking = Atomic<Bool>(false)

    func register(_ routes: inout Routes<Self>) {
        routes.command("where", help: "Says whether the handler runs on an event loop.") { _, _, _ in
            .ephemeral(MultiThreadedEventLoopGroup.currentEventLoop == nil ? "off the event loop" : "on an event loop")
        }
        routes.command("block", help: "Blocks its thread until the test releases it.") { _, _, _ in
            Self.blocking.store(true, ordering: .sequentiallyConsistent)
            // A generous bound, so that a broken host fails the test instead of hanging it.
            let released = Self.gate.wait(timeout: .now() + 60) == .success
            return .ephemeral(released ? "released" : "never released")
        }
    }
}

@Suite("Plugin handlers run off the Socket Mode event loop")
struct PluginExecutorTests {
    static let config = """
        host:
          slash_command: /case
        plugins:
          threadprobe:
            enabled: true
        """

    @Test("A handler reached through Socket Mode runs on Swift's pool, not on the socket's event loop")
    func handlerRunsOffTheEventLoop() async throws {
        try await TestHost.withRunning(plugins: [ThreadProbePlugin.self], config: Self.config) { host in
            let reply = try #require(try await host.slash("where", as: "alice", in: "general"))
            #expect(reply.text == "off the event loop")
        }
    }

    /// The blocked handler holds one of the pool's threads; the acks need none (the host answers
    /// `/case help` on the loop), but the test itself does, hence at least two cores.
    @Test(
        "A handler that blocks its thread holds up no other envelope's ack, on any socket",
        .enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1))
    func blockingHandlerStallsNoSocket() async throws {
        try await TestHost.withRunning(plugins: [ThreadProbePlugin.self], config: Self.config) { host in
            let simulator = host.simulator
            let block = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "block")
            let help = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "help")
            async let blocked = simulator.deliver(.slashCommands, payload: block, timeout: .seconds(90))
            try await host.waitUntil("the blocking handler runs") { ThreadProbePlugin.blocking.load(ordering: .sequentiallyConsistent) }
            // Slack spreads envelopes over the sockets in turn: these reach every socket, including
            // the one whose envelope is blocked.
            var acked = 0
            for _ in 0..<(2 * max(simulator.openSocketCount, 1)) {
                let ack = try await simulator.deliver(.slashCommands, payload: help, timeout: .seconds(20))
                if ack.acked, ack.payload?["text"]?.string?.contains("where") == true { acked += 1 }
            }
            ThreadProbePlugin.gate.signal()
            #expect(acked == 2 * max(simulator.openSocketCount, 1))
            #expect(try await blocked.payload?["text"]?.string == "released")
        }
    }
}
