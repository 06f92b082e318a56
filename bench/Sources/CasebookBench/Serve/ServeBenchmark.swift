import CasebookKit
import AsyncHTTPClient
import CasebookTesting
import Foundation

/// Start-up time and idle memory of the real `casebook serve` binary, with Slack simulated in
/// this process.
struct ServeBenchmark {
    var binary: String
    var runs = 5
    var idle: Duration = .seconds(5)

    /// What one start of `casebook serve` showed.
    struct Run: Sendable {
        /// Spawn → the simulator accepted the first socket and sent `hello`.
        var firstHello: Duration
        /// Spawn → `GET /readyz` answered 200 (the host processed a `hello`).
        var ready: Duration
        /// Spawn → every configured socket (2) said hello.
        var allSockets: Duration
        var residentAtReady: Int
        var residentIdle: Int
        var idleCPU: CPUShare
        var exitStatus: Int32?
        var shutdown: Duration
    }

    func run() async throws -> Table {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no casebook binary at \(binary); build it (swift build -c release --product casebook) or pass --binary")
        }
        let binary = binary
        let runs = runs
        let idle = idle
        let results: [Run] = try await Self.withSimulator { simulator, client, directory in
            var results: [Run] = []
            for index in 1...runs {
                let database = directory.appendingPathComponent("serve-\(index).sqlite").path
                progress("serve: run \(index)/\(runs) (\(binary))")
                results.append(try await Self.measure(
                    binary: binary, simulator: simulator, client: client, databasePath: database, directory: directory, idle: idle))
            }
            return results
        }
        var table = Table("`casebook serve` start-up and idle memory (\(binary))", columns: [
            "run", "first hello sent", "/readyz 200", "both sockets", "RSS at ready", "RSS idle \(Int(idle.seconds)) s",
            "idle CPU", "SIGTERM → exit",
        ])
        for (index, run) in results.enumerated() {
            table.add(
                "\(index + 1)", Format.ms(run.firstHello), Format.ms(run.ready), Format.ms(run.allSockets), Format.bytes(run.residentAtReady),
                Format.bytes(run.residentIdle), Format.percent(run.idleCPU.percentOfOneCore),
                "\(Format.ms(run.shutdown)), status \(run.exitStatus.map(String.init) ?? "none (killed)")")
        }
        let ready = Samples(results.map(\.ready)).p50
        let resident = results.map(\.residentIdle).sorted()[results.count / 2]
        table.add(
            "median", Format.ms(Samples(results.map(\.firstHello)).p50), Format.ms(ready), Format.ms(Samples(results.map(\.allSockets)).p50),
            Format.bytes(results.map(\.residentAtReady).sorted()[results.count / 2]), Format.bytes(resident), "", "")
        table.note("Ready in under 300 ms: \(Format.verdict(ready < .milliseconds(300))) (median \(Format.ms(ready))).")
        table.note("Idle RSS under 50 MB: \(Format.verdict(resident < 50 * 1_000_000)) (median \(Format.bytes(resident))).")
        table.note("Every run starts on a new SQLite file, so start-up includes creating the schema (migrations).")
        table.note(
            "SIGTERM → exit includes `host.http.drain` (5 s unless configured): `/readyz` answers 503 that long, with everything "
                + "still working, so a load balancer stops sending before the server stops.")
        if results.contains(where: { $0.exitStatus != 0 }) { table.note("A run did NOT exit 0 after SIGTERM.") }
        return table
    }

    /// Runs `body` with a simulator, an HTTP client and a scratch directory, all removed afterwards.
    static func withSimulator<T: Sendable>(
        _ body: @Sendable (SlackSimulator, HTTPClient, URL) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await SlackSimulator.withRunning { simulator in
                try await body(simulator, client, directory)
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// One start: spawn, time the hello and readiness, sit idle, read memory and CPU, SIGTERM.
    static func measure(
        binary: String, simulator: SlackSimulator, client: HTTPClient, databasePath: String, directory: URL, idle: Duration,
        settle: Duration = .seconds(1)
    ) async throws -> Run {
        try await simulator.waitForSockets(0, timeout: .seconds(10))
        let accepted = simulator.acceptedSocketCount
        let child = try ServeProcess(binary: binary, simulator: simulator, databasePath: databasePath, directory: directory)
        do {
            let deadline = ContinuousClock.now + .seconds(30)
            while simulator.acceptedSocketCount <= accepted {
                guard ContinuousClock.now < deadline else { throw BenchError("casebook serve never connected; see \(child.logPath)") }
                try await Task.sleep(for: .milliseconds(1))
            }
            let firstHello = ContinuousClock.now - child.spawnedAt
            let ready = try await child.waitUntilReady(client: client) - child.spawnedAt
            while simulator.acceptedSocketCount < accepted + 2 {
                guard ContinuousClock.now < deadline else { throw BenchError("casebook serve opened only one socket; see \(child.logPath)") }
                try await Task.sleep(for: .milliseconds(1))
            }
            let allSockets = ContinuousClock.now - child.spawnedAt
            let residentAtReady = ProcessStats.resident(pid: child.pid) ?? 0
            try await Task.sleep(for: settle)
            let cpu = try await CPUShare.measure(pid: child.pid) { try await Task.sleep(for: idle) }
            let residentIdle = ProcessStats.resident(pid: child.pid) ?? 0
            let (status, shutdown) = await child.terminate()
            return Run(
                firstHello: firstHello, ready: ready, allSockets: allSockets, residentAtReady: residentAtReady, residentIdle: residentIdle,
                idleCPU: cpu, exitStatus: status, shutdown: shutdown)
        } catch {
            _ = await child.terminate(timeout: .seconds(5))
            throw error
        }
    }
}
