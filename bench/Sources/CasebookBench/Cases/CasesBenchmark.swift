import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import Synchronization

/// The Cases plugin through the real host: how long `/case open` takes to announce a case when
/// every Web API call costs 50 ms, and `/case stats` and the CSV export over 100,000 cases.
struct CasesBenchmark {
    var opens = 15
    /// Pause between opens, so the client's pacing (Slack's limits: 1 message per second per
    /// channel, burst 6) never delays the notification being measured.
    var openSpacing: Duration = .milliseconds(1_200)
    var webAPILatency: Duration = .milliseconds(50)
    var cases = 100_000
    var repeats = 5

    static let configuration = """
        host:
          rate_limit: { per_user: 100000000, per: 60s }
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
        """

    func run() async throws -> [Table] {
        let benchmark = self
        return try await TestHost.withRunning(
            plugins: [CasesPlugin.self], config: Self.configuration, logLevel: .error, realTime: true
        ) { host in
            [try await benchmark.open(host), try await benchmark.bulk(host)]
        }
    }

    // MARK: /case open

    private func open(_ host: TestHost) async throws -> Table {
        let simulator = host.simulator
        progress("cases: /case open × \(opens) with \(webAPILatency) per Web API call (plus 2 warm-up opens)")
        let (samples, criticalPath) = try await PacedRuns.measure(opens, figures: 2, latency: webAPILatency, spacing: openSpacing, on: simulator) {
            index in
            let before = simulator.messages(in: "C0INCIDENTS").count
            let payload = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "open bench latency \(index + 2)")
            simulator.clearCallLog()
            let started = ContinuousClock.now
            async let posted: ContinuousClock.Instant = Self.waitFor { simulator.messages(in: "C0INCIDENTS").count > before }
            let ack = try await simulator.deliver(.slashCommands, payload: payload, timeout: .seconds(10))
            let notification = try await posted - started
            guard ack.acked else { throw BenchError("/case open was not acked") }
            return ([notification, ack.latency], started)
        }
        let (notified, acked) = (samples[0], samples[1])
        let target = webAPILatency * 5 / 2
        var table = Table("`/case open` with \(Format.ms(webAPILatency)) added to every Web API call", columns: [
            "opens", "notification posted p50", "p99 (max)", "ack p50", "target < \(Format.ms(target))",
        ])
        table.add(
            "\(notified.count)", Format.ms(notified.p50), Format.ms(notified.p99), Format.ms(acked.p50),
            Format.verdict(notified.p99 < target))
        table.note("Notification: from sending the envelope until the message exists in the notifications channel (polled every 1 ms).")
        table.note("Web API calls of the last open (start→end after the envelope was sent): " + criticalPath)
        return table
    }

    /// Polls `condition` every millisecond (bounded) and returns when it first held.
    static func waitFor(_ condition: @Sendable () -> Bool) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError("timed out waiting for the notification") }
            try await Task.sleep(for: .milliseconds(1))
        }
        return .now
    }

    // MARK: stats and export on many cases

    private func bulk(_ host: TestHost) async throws -> Table {
        let database = try host.app.database
        let storage = database.storage(plugin: CasesPlugin.id)
        let existing = try await storage.read { sql in
            try await sql.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM cases_cases").first()?.decode(column: "n", as: Int64.self) ?? 0
        }
        progress("cases: seeding \(cases) cases")
        let seedStarted = ContinuousClock.now
        try await CaseSeeder.seed(cases, storage: storage)
        let seeding = ContinuousClock.now - seedStarted
        let total = cases + Int(existing)
        var table = Table("`/case stats` and export over \(total) cases (SQLite)", columns: [
            "operation", "time p50", "max", "peak RSS during", "RSS before", "result",
        ])
        let peakResettable = ProcessStats.resetPeak()

        progress("cases: /case stats × \(repeats)")
        var stats = Samples()
        var statsText = ""
        var statsPeak = 0
        let statsBefore = ProcessStats.resident() ?? 0
        for _ in 0..<repeats {
            ProcessStats.resetPeak()
            let started = ContinuousClock.now
            let reply = try await host.slash("stats", as: "alice", in: "general")
            stats.append(ContinuousClock.now - started)
            statsPeak = max(statsPeak, ProcessStats.peakResident() ?? 0)
            statsText = reply?.allText ?? "(no reply)"
        }
        let totalLine = statsText.split(separator: "\n").first { $0.contains(String(total)) || $0.lowercased().contains("total") }
        table.add(
            "`/case stats` (slash command → reply)", Format.ms(stats.p50), Format.ms(stats.maximum), Format.bytes(statsPeak),
            Format.bytes(statsBefore), totalLine.map { String($0.prefix(60)) } ?? "reply of \(statsText.count) characters")

        progress("cases: CLI export (CasesPlugin.exportCSV) × \(repeats)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-bench-export-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        var export = Samples()
        var exportPeak = 0
        var rows = 0
        var bytes = 0
        let exportBefore = ProcessStats.resident() ?? 0
        for _ in 0..<repeats {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            let output = try FileHandle(forWritingTo: file)
            ProcessStats.resetPeak()
            let started = ContinuousClock.now
            rows = try await CasesPlugin.exportCSV(storage: storage) { chunk in output.write(Data(chunk.utf8)) }
            export.append(ContinuousClock.now - started)
            exportPeak = max(exportPeak, ProcessStats.peakResident() ?? 0)
            try output.close()
            bytes = ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.intValue ?? 0
        }
        table.add(
            "CLI export (`CasesPlugin.exportCSV` → file)", Format.ms(export.p50), Format.ms(export.maximum), Format.bytes(exportPeak),
            Format.bytes(exportBefore), "\(rows) rows, \(Format.bytes(bytes)) CSV")

        progress("cases: /case export through Slack × \(repeats)")
        var slackExport = Samples()
        var slackPeak = 0
        var uploaded = 0
        let slackBefore = ProcessStats.resident() ?? 0
        let simulator = host.simulator
        for _ in 0..<repeats {
            let files = simulator.files.count
            let payload = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "export")
            ProcessStats.resetPeak()
            let started = ContinuousClock.now
            let ack = try await simulator.deliver(.slashCommands, payload: payload)
            guard ack.acked else { throw BenchError("/case export was not acked") }
            _ = try await Self.waitFor(timeout: .seconds(120)) { simulator.files.count > files }
            slackExport.append(ContinuousClock.now - started)
            slackPeak = max(slackPeak, ProcessStats.peakResident() ?? 0)
            uploaded = simulator.files.count
        }
        table.add(
            "`/case export` (slash command → file in the DM)", Format.ms(slackExport.p50), Format.ms(slackExport.maximum),
            Format.bytes(slackPeak), Format.bytes(slackBefore), "\(uploaded) files uploaded in all")

        table.note("Seeding \(cases) cases with multi-row INSERTs took \(Format.seconds(seeding)).")
        table.note("Times over \(repeats) runs each. Memory is this whole process (host, simulator, SQLite page cache): "
            + (peakResettable ? "VmHWM reset before each run (`/proc/self/clear_refs`), so the peak is that run's." : "VmHWM could NOT be reset, so peaks are since start."))
        table.note("`/case export` through Slack builds the file in memory (the Kit upload takes bytes) and the simulator keeps every uploaded file, so its RSS includes those copies.")
        return table
    }

    static func waitFor(timeout: Duration, _ condition: @Sendable () -> Bool) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError("timed out after \(timeout)") }
            try await Task.sleep(for: .milliseconds(2))
        }
        return .now
    }
}
