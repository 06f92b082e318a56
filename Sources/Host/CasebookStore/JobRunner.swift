import CasebookKit
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs due jobs: claims them with a lease, runs their handlers concurrently (bounded), then marks
/// them done, reschedules them with exponential backoff and jitter, or marks them dead keeping the
/// last error. A job whose runner died is claimed again when its lease expires; a running handler's
/// lease is renewed every third of `lease`.
///
/// No busy polling: between claims the runner sleeps on the injected clock until the next due job
/// or lease expiry, or until woken by a job scheduled through the same ``Database``. Jobs scheduled by
/// another process (a second replica, `casebook jobs retry`) are noticed at the next re-check, every
/// `recheckInterval` (default 5 s on PostgreSQL, 30 s on SQLite).
///
/// Graceful shutdown stops claiming and lets in-flight handlers finish. On cancellation, in-flight
/// jobs are put back to pending where possible, else their leases expire.
///
/// Replicas fence each other: every claim bumps the job's lease generation, renewals and outcomes
/// are written only under the claim's own (worker id, generation), and a handler whose lease was
/// taken over is cancelled, so its further side effects and its completion stop. Worker ids are
/// unique per process (``uniqueWorkerID()``), not `casebook-<pid>`: every container is PID 1.
public struct JobRunner: Service {
    let database: Database
    let handlers: JobHandlers
    let clock: any WallClock
    let workerID: String
    let logger: Logger
    let lease: Duration
    let maxAttempts: Int
    let backoffBase: Duration
    let maximumBackoff: Duration
    let concurrency: Int
    let recheckInterval: Duration
    private let recurringByKey: [String: JobHandlers.Recurring]
    /// Where `casebook_jobs_total` goes; the host sets its own registry's factory.
    public var metricsFactory: any MetricsFactory = MetricsSystem.factory

    public init(
        database: Database, handlers: JobHandlers, clock: any WallClock, workerID: String, logger: Logger,
        lease: Duration = .seconds(60), maxAttempts: Int = 8, backoffBase: Duration = .seconds(2),
        maximumBackoff: Duration = .seconds(3600), concurrency: Int = 8, recheckInterval: Duration? = nil
    ) {
        self.database = database
        self.handlers = handlers
        self.clock = clock
        self.workerID = workerID
        var logger = logger
        logger[metadataKey: "worker"] = "\(workerID)"
        self.logger = logger
        self.lease = lease
        self.maxAttempts = max(1, maxAttempts)
        self.backoffBase = backoffBase
        self.maximumBackoff = maximumBackoff
        self.concurrency = max(1, concurrency)
        self.recheckInterval = recheckInterval ?? (database.isPostgres ? .seconds(5) : .seconds(30))
        self.recurringByKey = Dictionary(
            handlers.recurring.map { ("\($0.plugin)\u{0}\($0.name)", $0) }, uniquingKeysWith: { first, _ in first }
        )
    }

    /// `<host name>-<pid>-<8 random hex digits>`: readable in `casebook jobs` and the logs, and
    /// unique even for replicas that share a host name and are all PID 1.
    public static func uniqueWorkerID() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        let suffix = String(repeating: "0", count: 8 - random.count) + random
        return "\(host.isEmpty ? "casebook" : host)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    public func run() async throws {
        let wake = Wakeup()
        let token = database.addWaker(wake)
        defer { database.removeWaker(token) }
        try await ensureRecurringJobs()
        let control = RunnerControl()
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                while !control.isStopping && !Task.isCancelled {
                    let free = concurrency - control.inFlight
                    let deadline: Date
                    do {
                        if free > 0 {
                            let claimed = try await claim(limit: free)
                            for job in claimed {
                                control.started()
                                group.addTask {
                                    await traced(job) { await execute(job) }
                                    control.finished()
                                    wake.signal()
                                }
                            }
                            if claimed.count == free { continue }  // more may be due
                        }
                        deadline = try await nextDeadline(busy: control.inFlight >= concurrency)
                    } catch {
                        if Task.isCancelled { break }
                        logger.error("job runner cannot reach the database", metadata: ["error": "\(Database.describe(error))"])
                        deadline = clock.now().addingTimeInterval(min(recheckInterval.timeInterval, 5))
                    }
                    if deadline <= clock.now() {
                        // Due rows are locked by another replica's claim right now: back off briefly.
                        try? await Task.sleep(for: .milliseconds(20))
                        continue
                    }
                    await wake.wait(until: deadline, clock: clock)
                }
            }
        } onGracefulShutdown: {
            control.stop()
            wake.signal()
        }
    }

    // MARK: Claiming and waiting

    private func claim(limit: Int) async throws -> [ClaimedJob] {
        let now = clock.now()
        let postgres = database.isPostgres
        let worker = workerID
        let leaseUntil = millis(now.addingTimeInterval(lease.timeInterval))
        return try await database.withSession { sql in
            try await JobQueue.claim(sql, postgres: postgres, worker: worker, now: millis(now), leaseUntil: leaseUntil, limit: limit)
        }
    }

    /// When to look again: the next due job or lease expiry, capped by the re-check interval.
    /// With every slot busy, only a finishing job (a wake signal) or the re-check matters.
    private func nextDeadline(busy: Bool) async throws -> Date {
        let recheck = clock.now().addingTimeInterval(recheckInterval.timeInterval)
        if busy { return recheck }
        guard let next = try await database.withSession({ sql in try await JobQueue.nextWake(sql) }) else { return recheck }
        return min(date(millis: next), recheck)
    }

    private func ensureRecurringJobs() async throws {
        let now = clock.now()
        for recurring in handlers.recurring {
            let runAt = millis(now.addingTimeInterval(recurring.interval.timeInterval))
            try await database.withSession { sql in
                try await JobQueue.ensureRecurring(
                    sql, plugin: recurring.plugin, name: recurring.name, key: recurring.dedupeKey, runAt: runAt, now: millis(now)
                )
            }
        }
    }

    // MARK: Executing

    private func execute(_ job: ClaimedJob) async {
        var logger = logger
        logger[metadataKey: "job"] = "\(job.plugin).\(job.name)#\(job.id)"
        let limit = job.maxAttempts ?? maxAttempts
        let recurring = recurringJob(for: job)
        if job.attempts > limit {
            await settle(job, logger: logger) { sql, now in
                if let recurring {
                    return try await JobQueue.repend(
                        sql, job, worker: workerID, runAt: nextPeriod(job, recurring, now: now), attempts: 0,
                        lastError: JobRunnerError.leaseExpiredTooOften(attempts: limit).description, now: millis(now)
                    )
                } else {
                    return try await JobQueue.markDead(
                        sql, job, worker: workerID, error: JobRunnerError.leaseExpiredTooOften(attempts: limit).description,
                        now: millis(now)
                    )
                }
            }
            count(job, "dead")
            return
        }

        let execution = JobExecution(jobID: job.id, attempt: job.attempts, maxAttempts: limit)
        let run = await JobExecution.$current.withValue(execution) {
            await runKeepingLease(job, recurring: recurring, logger: logger)
        }
        guard case .finished(let outcome) = run else {
            // Another runner holds the job now; whatever this one writes would overwrite its lease.
            logger.warning("stopped a job whose lease was taken over; its new holder settles it")
            count(job, "lease_lost")
            return
        }
        switch outcome {
        case .success:
            await settle(job, logger: logger) { sql, now in
                if let recurring {
                    return try await JobQueue.repend(
                        sql, job, worker: workerID, runAt: nextPeriod(job, recurring, now: now), attempts: 0,
                        lastError: nil, now: millis(now)
                    )
                } else {
                    return try await JobQueue.markDone(sql, job, worker: workerID, now: millis(now))
                }
            }
            count(job, "done")
        case .failure(let error):
            if Task.isCancelled {
                // Hard stop: hand the job back without counting the attempt.
                await settle(job, logger: logger) { sql, now in
                    return try await JobQueue.repend(
                        sql, job, worker: workerID, runAt: job.runAt, attempts: max(0, job.attempts - 1),
                        lastError: nil, now: millis(now)
                    )
                }
                return
            }
            let message = String(String(describing: error).prefix(2000))
            // A permanent failure (a 400 from a service) is dead at once: backing off cannot fix it.
            if job.attempts >= limit || (error is PermanentJobFailure && recurring == nil) {
                logger.error("job failed for the last time", metadata: ["attempts": "\(job.attempts)", "error": "\(message)"])
                await settle(job, logger: logger) { sql, now in
                    if let recurring {
                        return try await JobQueue.repend(
                            sql, job, worker: workerID, runAt: nextPeriod(job, recurring, now: now), attempts: 0,
                            lastError: message, now: millis(now)
                        )
                    } else {
                        return try await JobQueue.markDead(sql, job, worker: workerID, error: message, now: millis(now))
                    }
                }
                count(job, "dead")
            } else {
                let delay = backoff(attempt: job.attempts)
                logger.warning("job failed; will retry", metadata: [
                    "attempts": "\(job.attempts)", "retry_in_s": "\(Int(delay))", "error": "\(message)",
                ])
                await settle(job, logger: logger) { sql, now in
                    return try await JobQueue.repend(
                        sql, job, worker: workerID, runAt: millis(now.addingTimeInterval(delay)), attempts: job.attempts,
                        lastError: message, now: millis(now)
                    )
                }
                count(job, "retry")
            }
        }
    }

    /// How a handler's run ended: it finished (well or not), or its lease was lost and it was stopped.
    enum Run {
        case finished(Result<Void, any Error>)
        case leaseLost
    }

    /// Runs the handler while a sibling task renews the lease; the first to end cancels the other.
    private func runKeepingLease(_ job: ClaimedJob, recurring: JobHandlers.Recurring?, logger: Logger) async -> Run {
        await withTaskGroup(of: Run?.self) { group in
            group.addTask {
                do {
                    try await invoke(job, recurring: recurring)
                    return .finished(.success(()))
                } catch {
                    return .finished(.failure(error))
                }
            }
            group.addTask {
                await keepLease(job, logger: logger) ? nil : .leaseLost
            }
            var run = Run.finished(.success(()))
            while let result = await group.next() {
                if let result {
                    run = result
                    group.cancelAll()
                }
            }
            return run
        }
    }

    /// Renews the lease every third of its length until cancelled (true). Returns false when the
    /// lease is lost: another claim took it, or the database could not renew it before it expired
    /// (another replica may have claimed it meanwhile).
    private func keepLease(_ job: ClaimedJob, logger: Logger) async -> Bool {
        let worker = workerID
        var heldUntil = clock.now().addingTimeInterval(lease.timeInterval)
        while !Task.isCancelled {
            do {
                try await clock.sleep(until: min(clock.now().addingTimeInterval(lease.timeInterval / 3), heldUntil))
                let until = clock.now().addingTimeInterval(lease.timeInterval)
                let leaseUntil = millis(until)
                let held = try await database.withSession { sql in
                    try await JobQueue.renew(sql, job, worker: worker, leaseUntil: leaseUntil)
                }
                if !held {
                    logger.warning("lost the lease of a running job to another runner; stopping it")
                    return false
                }
                heldUntil = until
            } catch {
                if Task.isCancelled { return true }
                logger.warning("cannot renew job lease", metadata: ["error": "\(Database.describe(error))"])
                if clock.now() >= heldUntil {
                    logger.warning("the lease of a running job expired while the database was unreachable; stopping it")
                    return false
                }
            }
        }
        return true
    }

    private func invoke(_ job: ClaimedJob, recurring: JobHandlers.Recurring?) async throws {
        if let recurring {
            try await recurring.handler(date(millis: job.runAt))
            return
        }
        let payload = try JSONValue.decode(job.payload)
        if job.name.hasPrefix(PluginEvents.jobPrefix) {
            let eventName = String(job.name.dropFirst(PluginEvents.jobPrefix.count))
            guard handlers.events.delivers(eventName, to: job.plugin) else {
                throw JobRunnerError.noHandler(plugin: job.plugin, name: job.name)
            }
            try await handlers.deliver(job.plugin, eventName, payload)
            return
        }
        guard let handler = handlers.jobs[job.plugin]?[job.name] else {
            throw JobRunnerError.noHandler(plugin: job.plugin, name: job.name)
        }
        try await handler(payload)
    }

    /// Writes a job's outcome under its lease; if that fails the lease expires and the job runs
    /// again (at least once). A lease taken over meanwhile writes nothing: the new holder settles it.
    private func settle(_ job: ClaimedJob, logger: Logger, _ write: @escaping @Sendable (any SQLDatabase, Date) async throws -> Bool) async {
        let now = clock.now()
        do {
            if try await !database.inTransaction({ sql in try await write(sql, now) }) {
                logger.warning("the job's lease was taken over by another runner; its outcome here is not recorded")
            }
        } catch {
            logger.error("cannot record job outcome; it will run again after its lease", metadata: [
                "error": "\(Database.describe(error))",
            ])
        }
    }

    // MARK: Policies

    private func recurringJob(for job: ClaimedJob) -> JobHandlers.Recurring? {
        guard let recurring = recurringByKey["\(job.plugin)\u{0}\(job.name)"], job.dedupeKey == recurring.dedupeKey else { return nil }
        return recurring
    }

    /// The first period boundary after `now`, counted from the job's scheduled time: one run per
    /// period, and no burst of catch-up runs after downtime.
    private func nextPeriod(_ job: ClaimedJob, _ recurring: JobHandlers.Recurring, now: Date) -> Int64 {
        let interval = max(Int64(1), Int64((recurring.interval.timeInterval * 1000).rounded()))
        let current = millis(now)
        var next = job.runAt + interval
        if next <= current {
            next = job.runAt + ((current - job.runAt) / interval + 1) * interval
        }
        return next
    }

    /// `base · 2^(attempt-1)`, capped, with "equal jitter" (half fixed, half random) so that jobs that
    /// failed together don't retry together.
    private func backoff(attempt: Int) -> TimeInterval {
        let exponent = Double(min(max(attempt - 1, 0), 30))
        let delay = min(backoffBase.timeInterval * pow(2, exponent), maximumBackoff.timeInterval)
        return delay / 2 + Double.random(in: 0...(delay / 2))
    }

    private func count(_ job: ClaimedJob, _ outcome: String) {
        Counter(label: "casebook_jobs_total", dimensions: [("plugin", job.plugin), ("outcome", outcome)], factory: metricsFactory).increment()
    }
}

/// In-flight count and the stop flag, shared by the loop, the job tasks and the shutdown handler.
private final class RunnerControl: Sendable {
    private let state = Mutex((inFlight: 0, stopping: false))

    var inFlight: Int { state.withLock { $0.inFlight } }
    var isStopping: Bool { state.withLock { $0.stopping } }
    func started() { state.withLock { $0.inFlight += 1 } }
    func finished() { state.withLock { $0.inFlight -= 1 } }
    func stop() { state.withLock { $0.stopping = true } }
}
