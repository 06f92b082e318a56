import CasebookKit
import CasebookStore
import CasesPlugin
import Foundation
import ServiceLifecycle
import Synchronization

/// The durable job queue on SQLite and PostgreSQL: scheduling 100,000 jobs, due-job pickup
/// latency, throughput, and what an idle runner costs while holding 100,000 future jobs. Runs the
/// host's own `JobRunner` (default settings) on the real clock against a scratch database.
struct JobsBenchmark {
    var backends: [ScratchDatabase.Backend] = [.sqlite, .postgresql]
    var futureJobs = 100_000
    /// Jobs per transaction when scheduling the future jobs (1: each `schedule` call commits alone,
    /// as a plugin calling `context.jobs.schedule` outside a transaction does).
    var perTransaction = 1
    var pickups = 1_000
    var throughputJobs = 10_000
    var idle: Duration = .seconds(10)
    /// Idle window of the whole-host measurement: long enough to include the runner's re-check.
    var hostIdle: Duration = .seconds(40)
    /// The `casebook` binary for the whole-host idle measurement; nil skips it.
    var binary: String?

    struct Figures: Sendable {
        var backend: ScratchDatabase.Backend
        var schedule: Duration
        var size: Int
        var jobsTableSize: Int?
        var idleEmpty: CPUShare
        var idleFull: CPUShare
        var pickup: Samples
        var throughputWall: Duration
    }

    func run() async throws -> [Table] {
        var logger = Logger(label: "casebook.bench")
        logger.logLevel = .error
        var figures: [Figures] = []
        var skipped: [String] = []
        for backend in backends {
            if backend == .postgresql, ScratchDatabase.postgresURL == nil {
                skipped.append("PostgreSQL skipped: \(ScratchDatabase.postgresVariable) is not set (eval \"$(bash .ci/postgres.sh)\").")
                continue
            }
            figures.append(try await measure(backend, logger: logger))
        }
        var tables = figures.isEmpty && skipped.isEmpty ? [] : [report(figures, skipped: skipped)]
        if let binary {
            tables.append(try await HostIdleBenchmark(binary: binary, futureJobs: futureJobs, idle: hostIdle).run())
        }
        return tables
    }

    private func report(_ figures: [Figures], skipped: [String]) -> Table {
        var table = Table("Durable jobs (host `JobRunner`, default settings, real clock)", columns: ["", ] + figures.map(\.backend.rawValue))
        func row(_ label: String, _ value: (Figures) -> String) { table.add(row: [label] + figures.map(value)) }
        let batch = perTransaction == 1 ? "one transaction each" : "\(perTransaction) per transaction"
        row("schedule \(futureJobs) future jobs (\(batch))") { "\(Format.seconds($0.schedule)) (\(Format.rate(futureJobs, in: $0.schedule)))" }
        row("database size after") { f in
            Format.bytes(f.size) + (f.jobsTableSize.map { " (jobs table + indexes \(Format.bytes($0)))" } ?? "")
        }
        row("pickup latency p50 (schedule at now → handler runs)") { Format.ms($0.pickup.p50) }
        row("pickup latency p99") { Format.ms($0.pickup.p99) }
        row("throughput, \(throughputJobs) due jobs") { Format.rate(throughputJobs, in: $0.throughputWall) }
        row("idle runner CPU, empty queue (\(Int(idle.seconds)) s)") { Format.percent($0.idleEmpty.percentOfOneCore) + " of a core" }
        row("idle runner CPU, \(futureJobs) future jobs") { Format.percent($0.idleFull.percentOfOneCore) + " of a core" }
        table.note("Pickup: \(pickups) jobs one after another; the time runs from before `schedule(at: now)` (its commit included) until the handler starts.")
        table.note("Throughput: \(throughputJobs) jobs due now, inserted in one transaction while the runner holds the \(futureJobs) future jobs; time from commit to the last handler run (runner concurrency 8, each job claimed and settled in its own statements).")
        table.note("Idle CPU is this benchmark process (runner + database driver); PostgreSQL's server processes are not counted.")
        for note in skipped { table.note(note) }
        return table
    }

    private func measure(_ backend: ScratchDatabase.Backend, logger: Logger) async throws -> Figures {
        let futureJobs = futureJobs
        let perTransaction = max(1, perTransaction)
        let pickups = pickups
        let throughputJobs = throughputJobs
        let idle = idle
        return try await ScratchDatabase.with(backend, logger: logger) { url, sqliteFile in
            try await Database.withDatabase(url: url, logger: logger) { database in
                try await database.migrate([])
                let (ran, ranContinuation) = AsyncStream.makeStream(of: (sequence: Int, at: ContinuousClock.Instant).self)
                let handlers = JobHandlers(jobs: ["bench": ["noop": { payload in
                    let now = ContinuousClock.now
                    ranContinuation.yield((payload["sequence"]?.int ?? -1, now))
                }]])
                let runner = JobRunner(database: database, handlers: handlers, clock: SystemClock(), workerID: "bench", logger: logger)
                let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [runner], logger: logger))
                return try await withThrowingTaskGroup(of: Void.self, returning: Figures.self) { tasks in
                    tasks.addTask { try await group.run() }
                    defer { ranContinuation.finish() }
                    let jobs = database.jobs(plugin: "bench")
                    let storage = database.storage(plugin: "bench")
                    var iterator = ran.makeAsyncIterator()

                    progress("jobs/\(backend.rawValue): idle runner, empty queue, \(idle)")
                    try await Task.sleep(for: .seconds(1))
                    let idleEmpty = try await CPUShare.measure { try await Task.sleep(for: idle) }

                    progress("jobs/\(backend.rawValue): scheduling \(futureJobs) future jobs, \(perTransaction) per transaction")
                    let base = Date().addingTimeInterval(86_400)
                    let scheduleStarted = ContinuousClock.now
                    var next = 0
                    while next < futureJobs {
                        let range = next..<min(next + perTransaction, futureJobs)
                        if range.count == 1 {
                            try await jobs.schedule(
                                name: "noop", payload: ["sequence": .number(Double(-1))], at: base.addingTimeInterval(Double(next)), dedupeKey: nil)
                        } else {
                            try await storage.transaction { tx in
                                for index in range {
                                    try await tx.jobs.schedule(
                                        name: "noop", payload: ["sequence": .number(Double(-1))], at: base.addingTimeInterval(Double(index)),
                                        dedupeKey: nil)
                                }
                            }
                        }
                        next = range.upperBound
                    }
                    let schedule = ContinuousClock.now - scheduleStarted
                    if sqliteFile != nil {
                        try await storage.read { sql in try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
                    }
                    let size = try await ScratchDatabase.size(of: database, sqliteFile: sqliteFile)
                    let jobsTableSize = try await ScratchDatabase.tableSize("casebook_jobs", of: database)

                    progress("jobs/\(backend.rawValue): idle runner with \(futureJobs) future jobs, \(idle)")
                    try await Task.sleep(for: .seconds(1))
                    let idleFull = try await CPUShare.measure { try await Task.sleep(for: idle) }

                    progress("jobs/\(backend.rawValue): pickup latency, \(pickups) jobs")
                    var pickup = Samples()
                    for sequence in 0..<pickups {
                        let started = ContinuousClock.now
                        try await jobs.schedule(name: "noop", payload: ["sequence": .number(Double(sequence))], at: Date(), dedupeKey: nil)
                        while let event = await iterator.next() {
                            if event.sequence == sequence {
                                pickup.append(event.at - started)
                                break
                            }
                        }
                    }

                    progress("jobs/\(backend.rawValue): throughput, \(throughputJobs) due jobs")
                    let now = Date()
                    try await storage.transaction { tx in
                        for index in 0..<throughputJobs {
                            try await tx.jobs.schedule(
                                name: "noop", payload: ["sequence": .number(Double(pickups + index))], at: now, dedupeKey: nil)
                        }
                    }
                    let committed = ContinuousClock.now
                    var done = 0
                    var last = committed
                    while done < throughputJobs, let event = await iterator.next() {
                        if event.sequence >= pickups {
                            done += 1
                            last = event.at
                        }
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                    return Figures(
                        backend: backend, schedule: schedule, size: size, jobsTableSize: jobsTableSize, idleEmpty: idleEmpty,
                        idleFull: idleFull, pickup: pickup, throughputWall: last - committed)
                }
            }
        }
    }
}

/// The whole host idle: `casebook serve` (Cases plugin, Socket Mode) on a database holding no
/// jobs, then on one holding 100,000 future jobs, CPU of the child process over the idle window.
struct HostIdleBenchmark {
    var binary: String
    var futureJobs: Int
    var idle: Duration

    func run() async throws -> Table {
        let binary = binary
        let futureJobs = futureJobs
        let idle = idle
        let logger = { var logger = Logger(label: "casebook.bench"); logger.logLevel = .error; return logger }()
        let runs: [(jobs: Int, run: ServeBenchmark.Run)] = try await ServeBenchmark.withSimulator { simulator, client, directory in
            var runs: [(jobs: Int, run: ServeBenchmark.Run)] = []
            for jobs in [0, futureJobs] {
                let path = directory.appendingPathComponent("idle-\(jobs).sqlite").path
                if jobs > 0 {
                    progress("jobs/host: filling \(path) with \(jobs) future jobs")
                    try await Self.fill(path, jobs: jobs, logger: logger)
                }
                progress("jobs/host: casebook serve idle with \(jobs) future jobs, \(idle)")
                let run = try await ServeBenchmark.measure(
                    binary: binary, simulator: simulator, client: client, databasePath: path, directory: directory, idle: idle,
                    settle: .seconds(2))
                runs.append((jobs, run))
            }
            return runs
        }
        var table = Table("Idle `casebook serve` holding future jobs (CPU of the child process)", columns: [
            "future jobs", "CPU over \(Int(idle.seconds)) s idle", "share of one core", "RSS idle",
        ])
        for (jobs, run) in runs {
            table.add("\(jobs)", Format.ms(run.idleCPU.cpu), Format.percent(run.idleCPU.percentOfOneCore), Format.bytes(run.residentIdle))
        }
        table.note("CPU from /proc/<pid>/stat utime+stime (10 ms ticks); measured from 2 s after /readyz answered 200, over \(Int(idle.seconds)) s, so the window includes the job runner's first SQLite re-check (30 s after start).")
        return table
    }

    /// Creates the schema `casebook serve` expects and `jobs` Cases jobs spread over the next days.
    static func fill(_ path: String, jobs: Int, logger: Logger) async throws {
        try await Database.withDatabase(url: "sqlite:\(path)", logger: logger) { database in
            try await database.migrate([(plugin: CasesPlugin.id, migrations: CasesPlugin.migrations)])
            let base = Date().addingTimeInterval(86_400)
            for start in stride(from: 0, to: jobs, by: 5_000) {
                try await database.storage(plugin: CasesPlugin.id).transaction { tx in
                    for index in start..<min(start + 5_000, jobs) {
                        try await tx.jobs.schedule(
                            name: "refresh_messages", payload: ["case_id": .string("bench-\(index)")],
                            at: base.addingTimeInterval(Double(index) * 6), dedupeKey: "bench-\(index)")
                    }
                }
            }
        }
    }
}
