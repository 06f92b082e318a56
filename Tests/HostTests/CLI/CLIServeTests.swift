import AsyncHTTPClient
import CasebookKit
import CasebookStore
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import SlackSimulator
import Synchronization
import Testing

/// `casebook serve` as a real process against the Slack simulator running in the test: Socket
/// Mode round trips, the HTTP probes, then `kill -9` in the middle of work, restarts on the same
/// SQLite file, and a graceful SIGTERM.
@Suite("casebook serve: end to end and crash safety")
struct CLIServeTests {
    /// One `serve` configuration: the simulator's credentials, a SQLite file and a free port.
    struct Server {
        let directory: TemporaryDirectory
        let simulator: SlackSimulator
        let port: Int
        /// More variables for `serve` (an integration's credentials).
        var extraEnvironment: [String: String] = [:]
        var databaseURL: String { "sqlite:\(directory.file("casebook.sqlite"))" }

        var environment: [String: String] {
            [
                "SLACK_BOT_TOKEN": simulator.botToken, "SLACK_APP_TOKEN": simulator.appToken, "SLACK_API_URL": simulator.apiURL,
                "DATABASE_URL": databaseURL, "PORT": "\(port)", "ISSUES_CHANNEL_ID": "C0INCIDENTS", "DIGEST_CHANNEL_ID": "C0INCIDENTS",
                "LOG_LEVEL": "warning",
            ].merging(extraEnvironment) { _, extra in extra }
        }

        /// Starts `serve` and waits until both of its sockets said hello.
        func start() async throws -> CasebookProcess.Running {
            let running = try CasebookProcess.start(
                ["serve", "--host", "127.0.0.1", "--config", "plugins.yaml"], environment: environment, in: directory)
            do {
                try await eventually("serve's two Socket Mode connections", timeout: .seconds(15)) {
                    guard running.isRunning else {
                        throw CasebookProcess.Failure(description: "serve exited early\n\(running.stderr)")
                    }
                    return simulator.openSocketCount == 2
                }
            } catch {
                running.stop()
                throw error
            }
            return running
        }

        func casebook(_ arguments: [String]) async throws -> CasebookProcess.Outcome {
            try await CasebookProcess.run(arguments + ["--config", "plugins.yaml"], environment: environment, in: directory)
        }

        func withDatabase<T: Sendable>(_ body: (Database) async throws -> T) async throws -> T {
            var logger = Logger(label: "cli-test")
            logger.logLevel = .warning
            return try await Database.withDatabase(url: databaseURL, logger: logger, body)
        }

        func rows(_ query: String) async throws -> [[String: String]] {
            try await withDatabase { database in
                try await database.storage(plugin: "cases").read { sql in
                    try await sql.raw("\(unsafeRaw: query)").all().map { row in
                        var values: [String: String] = [:]
                        for column in row.allColumns {
                            if let text = try? row.decode(column: column, as: String.self) {
                                values[column] = text
                            } else if let number = try? row.decode(column: column, as: Int64.self) {
                                values[column] = String(number)
                            }
                        }
                        return values
                    }
                }
            }
        }

        func get(_ path: String) async throws -> (status: UInt, body: String) {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status.code, String(buffer: body))
        }

        /// `/case <text>` typed by alice in #general, delivered over Socket Mode.
        func slash(_ text: String) async throws -> Ack {
            try await simulator.deliver(simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: text))
        }
    }

    /// The jobs this test schedules (other plugins schedule their own: recurring checks, event deliveries).
    static let refreshes = "plugin = 'cases' AND name = 'refresh_messages'"

    @Test func servesSurvivesKill9AndStopsOnSIGTERM() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await SlackSimulator.withRunning { simulator in
                let server = Server(directory: directory, simulator: simulator, port: try freeLoopbackPort())
                try await run(server)
            }
        }
    }

    /// #17 point 8: a liveness or startup probe asked while `serve` boots (migrations, `auth.test`)
    /// gets an answer, not "connection refused"; then the host's own server takes the port over.
    @Test func probesAnswerWhileBooting() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await SlackSimulator.withRunning { simulator in
                let server = Server(directory: directory, simulator: simulator, port: try freeLoopbackPort())
                // Boot waits for Slack's answer to auth.test long enough for the probes to be asked meanwhile.
                simulator.setLatency(.seconds(10), for: "auth.test")
                let serve = try CasebookProcess.start(
                    ["serve", "--host", "127.0.0.1", "--config", "plugins.yaml"], environment: server.environment, in: directory)
                defer { serve.stop() }
                try await eventually("/healthz answers while serve boots", timeout: .seconds(8)) {
                    guard serve.isRunning else { throw CasebookProcess.Failure(description: "serve exited early\n\(serve.stderr)") }
                    return (try? await server.get("/healthz"))?.status == 200
                }
                // Migrations, then auth.test: which step it is in depends on the machine's load.
                let booting = try await server.get("/readyz")
                #expect(booting.status == 503)
                #expect(["starting: running migrations", "starting: connecting to Slack"].contains(booting.body), "\(booting.body)")
                #expect(try await server.get("/metrics").status == 404)
                #expect(simulator.openSocketCount == 0)
                try await eventually("/readyz says ready", timeout: .seconds(20)) { (try? await server.get("/readyz"))?.status == 200 }
                #expect(try await server.get("/healthz") == (200, "ok"))
                #expect(try await server.get("/metrics").status == 200)
                try await eventually("serve's two Socket Mode connections") { simulator.openSocketCount == 2 }
            }
        }
    }

    func run(_ server: Server) async throws {
        let simulator = server.simulator
        #expect(try await server.casebook(["migrate"]).status == 0)
        // Jobs waiting before the first start: three due now, two due in an hour.
        let (dueJobs, laterJobs) = try await server.withDatabase { database in
            let jobs = database.jobs(plugin: "cases")
            var due: [Int64] = []
            var later: [Int64] = []
            for index in 1...3 {
                due.append(try await jobs.schedule(name: "refresh_messages", payload: ["caseID": .string("gone-\(index)")], at: Date(), dedupeKey: nil))
            }
            for index in 1...2 {
                later.append(try await jobs.schedule(
                    name: "refresh_messages", payload: ["caseID": .string("later-\(index)")], at: Date().addingTimeInterval(3600), dedupeKey: nil))
            }
            return (due, later)
        }

        // 1. First start: probes, a round trip, metrics.
        var serve = try await server.start()
        defer { serve.stop() }
        #expect(try await server.get("/healthz").status == 200)
        try await eventually("/readyz says ready") { try await server.get("/readyz").status == 200 }

        let opened = try await server.slash("open API latency up")
        #expect(opened.acked)
        let reply = opened.payload?["text"]?.string ?? ""
        #expect(reply.contains("Opened <#C"), "\(reply)")
        let channel = try #require(simulator.conversations.first { $0.name.hasPrefix("case-api-latency-") })
        #expect(reply.contains("<#\(channel.id)>"))
        #expect(channel.topic.value == "API latency up")
        #expect(simulator.messages(in: "incidents").contains { $0.text.contains("API latency up") })

        let metrics = try await server.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("slack_envelopes_total"), "\(metrics.body.prefix(2000))")
        // Ack latency has buckets at the 2 s budget and at Slack's 3 s deadline.
        #expect(metrics.body.contains(#"slack_ack_latency_seconds_bucket{type="slash_commands",transport="socket_mode",le="3.0"} 1"#), "\(metrics.body)")

        try await eventually("the jobs due at start-up ran") {
            try await server.rows("SELECT id FROM casebook_jobs WHERE state = 'done' AND \(Self.refreshes)").count == dueJobs.count
        }

        // 2. kill -9 while several opens are being handled (each waits 300 ms on conversations.create).
        simulator.setLatency(.milliseconds(300), for: "conversations.create")
        let acksBefore = simulator.acks.count
        let victim = serve
        let titles = (1...8).map { "outage number \($0)" }
        let outcomes = try await withThrowingTaskGroup(of: (String, Ack?).self) { group in
            for title in titles {
                group.addTask {
                    let ack = try? await simulator.deliver(
                        simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "open \(title)"),
                        timeout: .seconds(3))
                    return (title, ack)
                }
            }
            group.addTask {
                try await eventually("the first acks of the burst") { simulator.acks.count >= acksBefore + 2 }
                victim.send(SIGKILL)
                return ("", nil)
            }
            var outcomes: [String: Ack?] = [:]
            for try await (title, ack) in group where !title.isEmpty { outcomes[title] = ack }
            return outcomes
        }
        let killed = try await serve.wait(timeout: .seconds(30))
        #expect(killed.signalled && killed.status == SIGKILL, "\(killed)")
        simulator.setLatency(nil, for: "conversations.create")
        try await simulator.waitForSockets(0, timeout: .seconds(30))

        let confirmed = outcomes.compactMap { title, ack in
            (ack?.acked == true && ack?.payload?["text"]?.string?.contains("Opened") == true) ? title : nil
        }
        #expect(confirmed.count >= 1, "no open of the burst was acked before the kill")
        #expect(confirmed.count < titles.count, "the kill came after every open finished; the test proved nothing")
        let cases = try await server.rows("SELECT id, title, channel_id FROM cases_cases")
        for title in confirmed {
            #expect(cases.filter { $0["title"] == title }.count == 1, "the acked case '\(title)' should exist exactly once")
        }
        for title in Set(cases.compactMap { $0["title"] }) {
            #expect(cases.filter { $0["title"] == title }.count == 1, "'\(title)' is stored twice")
        }
        #expect(try await server.rows("PRAGMA integrity_check").first?["integrity_check"] == "ok")

        // 3. Restart; its message refreshes hang on a slow Slack; kill -9 while they run.
        let caseA = try #require(cases.first { $0["title"] == "API latency up" }?["id"])
        let refreshJobs = try await server.withDatabase { database in
            let jobs = database.jobs(plugin: "cases")
            var ids: [Int64] = []
            for _ in 1...3 {
                ids.append(try await jobs.schedule(name: "refresh_messages", payload: ["caseID": .string(caseA)], at: Date(), dedupeKey: nil))
            }
            return ids
        }
        simulator.setLatency(.seconds(30), for: "chat.update")
        serve = try await server.start()
        try await eventually("the refreshes are running") {
            try await server.rows("SELECT id FROM casebook_jobs WHERE state = 'running' AND \(Self.refreshes)").count == refreshJobs.count
        }
        serve.send(SIGKILL)
        _ = try await serve.wait(timeout: .seconds(30))
        try await simulator.waitForSockets(0, timeout: .seconds(30))
        let allJobs = dueJobs + laterJobs + refreshJobs
        let stored = try await server.rows("SELECT id, state, locked_until FROM casebook_jobs WHERE \(Self.refreshes)")
        #expect(Set(stored.compactMap { $0["id"].flatMap(Int64.init) }) == Set(allJobs), "a job row was lost: \(stored)")
        let stuck = stored.filter { $0["state"] == "running" }
        #expect(stuck.count == refreshJobs.count)
        #expect(stuck.allSatisfy { $0["locked_until"] != nil }, "a running job without a lease would never be claimed again")

        // 4. The leases run out (60 s, shortened here) and a new start claims the jobs again.
        try await server.withDatabase { database in
            try await database.storage(plugin: "cases").read { sql in
                try await sql.raw("UPDATE casebook_jobs SET locked_until = 0 WHERE state = 'running'").run()
            }
        }
        simulator.setLatency(nil, for: "chat.update")
        serve = try await server.start()
        try await eventually("every due job is done") {
            let states = try await server.rows("SELECT id, state FROM casebook_jobs WHERE \(Self.refreshes)")
            return states.filter { $0["state"] == "done" }.count == dueJobs.count + refreshJobs.count
        }
        let pending = try await server.rows("SELECT id FROM casebook_jobs WHERE state = 'pending' AND \(Self.refreshes)")
        #expect(Set(pending.compactMap { $0["id"].flatMap(Int64.init) }) == Set(laterJobs))
        let listing = try await server.slash("list")
        #expect(listing.payload?["text"]?.string?.contains("API latency up") == true, "\(String(describing: listing.payload))")

        // 5. SIGTERM: /readyz says so first (the 5 s drain of host.http.drain), then a graceful
        // stop, exit 0, sockets closed.
        serve.send(SIGTERM)
        try await eventually("/readyz says shutting down") {
            let answer = try await server.get("/readyz")
            return answer.status == 503 && answer.body == "shutting down"
        }
        let stopped = try await serve.wait(timeout: .seconds(20))
        #expect(stopped.status == 0 && !stopped.signalled, "\(stopped)")
        try await simulator.waitForSockets(0, timeout: .seconds(30))
        #expect(try await server.rows("SELECT id FROM casebook_jobs WHERE state = 'running'").isEmpty)
        #expect(try await server.rows("PRAGMA integrity_check").first?["integrity_check"] == "ok")
    }
}
