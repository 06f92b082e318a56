import CasebookKit
import CasebookStore
import Foundation
import Glibc
import SlackSimulator
import Testing

/// Issue 17, point 3: `kill -9` between a case's commit and its Slack steps loses none of them and
/// posts none twice; `kill -9` between `conversations.create` and the commit leaves a channel that
/// is archived after a restart.
@Suite("casebook serve: a war room survives kill -9")
struct CLIWarRoomCrashTests {
    @Test func aKillAfterTheCommitStillAssemblesTheWarRoomOnce() async throws {
        try await Self.withServer { server in
            let simulator = server.simulator
            var serve = try await server.start()
            defer { serve.stop() }
            // Slack answers every step after the channel with 429 (Retry-After 30 s): the request
            // waits to retry them, having done none, when the process is killed.
            for method in ["conversations.invite", "conversations.setTopic", "chat.postMessage"] {
                simulator.rateLimit(method, next: 1_000, retryAfter: 30)
            }
            try await Self.kill(&serve, server, when: "the case is committed and its steps wait on Slack", open: "Orders stuck") {
                let committed = try await server.rows("SELECT id FROM cases_cases").count == 1
                return committed && ["conversations.invite", "conversations.setTopic", "chat.postMessage"].allSatisfy {
                    !simulator.calls(to: $0).isEmpty
                }
            }
            simulator.clearFaults()
            let channel = try #require(simulator.conversations.first { $0.name.hasPrefix("case-orders") })
            #expect(simulator.messages(in: channel.id).isEmpty && channel.topic.value.isEmpty, "a step happened before the kill")
            let assembly = "name = 'assemble_war_room'"
            #expect(try await server.rows("SELECT state FROM casebook_jobs WHERE \(assembly)").map { $0["state"] } == ["pending"])
            // The job is due at the hand-off (30 s after the commit); make it due now.
            try await server.execute("UPDATE casebook_jobs SET run_at = 0 WHERE \(assembly) AND state = 'pending'")

            serve = try await server.start()
            try await eventually("the war room is assembled after the restart", timeout: .seconds(60)) {
                try await server.rows("SELECT state FROM casebook_jobs WHERE \(assembly)").map { $0["state"] } == ["done"]
            }
            let assembled = try #require(simulator.channel(channel.id))
            #expect(assembled.topic.value == "Orders stuck")
            #expect(assembled.members.contains("U0ALICE"))
            let summaries = simulator.messages(in: channel.id).filter { $0.text.contains("Orders stuck") }
            let notifications = simulator.messages(in: "incidents").filter { $0.text.contains("Orders stuck") }
            #expect(summaries.count == 1)
            #expect(notifications.count == 1)
            let steps = try await server.rows("SELECT step FROM cases_side_effects ORDER BY step").compactMap { $0["step"] }
            #expect(steps == ["open.invite", "open.notification", "open.summary", "open.topic"])
            let stored = try await server.rows("SELECT summary_ts, notification_ts FROM cases_cases")
            #expect(stored.first?["summary_ts"] == summaries.first?.ts)
            #expect(stored.first?["notification_ts"] == notifications.first?.ts)
            serve.send(SIGTERM)
            _ = try await serve.wait(timeout: .seconds(20))
        }
    }

    @Test func aKillBeforeTheCommitLeavesAChannelThatIsArchivedAfterARestart() async throws {
        try await Self.withServer { server in
            let simulator = server.simulator
            var serve = try await server.start()
            defer { serve.stop() }
            // Slack takes 5 s to make the channel; the process is killed while it does.
            simulator.setLatency(.seconds(5), for: "conversations.create")
            try await Self.kill(&serve, server, when: "the channel's intent is stored", open: "Ghost outage") {
                try await !server.rows("SELECT id FROM casebook_jobs WHERE name = 'reconcile_channel' AND state = 'pending'").isEmpty
            }
            #expect(try await server.rows("SELECT id FROM cases_cases").isEmpty, "the case was recorded before the kill; the test proved nothing")
            try await eventually("Slack made the channel nobody recorded", timeout: .seconds(20)) {
                simulator.conversations.contains { $0.name.hasPrefix("case-ghost") }
            }
            simulator.setLatency(nil, for: "conversations.create")
            let orphan = try #require(simulator.conversations.first { $0.name.hasPrefix("case-ghost") })
            #expect(!orphan.isArchived)
            // The check is due five minutes after the intent; make it due now.
            try await server.execute("UPDATE casebook_jobs SET run_at = 0 WHERE name = 'reconcile_channel' AND state = 'pending'")

            serve = try await server.start()
            try await eventually("the orphan is archived", timeout: .seconds(60)) {
                simulator.channel(orphan.id)?.isArchived == true
            }
            #expect(simulator.messages(in: orphan.id).contains { $0.text.contains("never opened") })
            #expect(try await server.rows("SELECT id FROM cases_cases").isEmpty)
            serve.send(SIGTERM)
            _ = try await serve.wait(timeout: .seconds(20))
        }
    }

    static func withServer(_ body: (CLIServeTests.Server) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await SlackSimulator.withRunning { simulator in
                try await body(CLIServeTests.Server(directory: directory, simulator: simulator, port: try freeLoopbackPort()))
            }
        }
    }

    /// Sends `/case open <title>` and kills the process with SIGKILL once `condition` holds.
    static func kill(
        _ serve: inout CasebookProcess.Running, _ server: CLIServeTests.Server, when what: String, open title: String,
        _ condition: @escaping @Sendable () async throws -> Bool
    ) async throws {
        let simulator = server.simulator
        let victim = serve
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try? await simulator.deliver(
                    simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "open \(title)"), timeout: .seconds(3))
            }
            group.addTask {
                try await eventually(what, timeout: .seconds(30), condition)
                victim.send(SIGKILL)
            }
            try await group.waitForAll()
        }
        let killed = try await serve.wait(timeout: .seconds(30))
        #expect(killed.signalled && killed.status == SIGKILL, "\(killed)")
        try await simulator.waitForSockets(0, timeout: .seconds(30))
    }
}

extension CLIServeTests.Server {
    /// Runs one statement on the stopped server's database.
    func execute(_ statement: String) async throws {
        try await withDatabase { database in
            try await database.storage(plugin: "cases").read { sql in try await sql.raw("\(unsafeRaw: statement)").run() }
        }
    }
}
