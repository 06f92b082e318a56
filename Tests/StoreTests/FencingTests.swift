import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// Replicas fence each other (#17 point 5): a lease is (worker id, generation), a runner whose lease
/// was taken over stops, replicas migrate a fresh database at once, and they share one rate window.
@Suite struct FencingTests {
    /// Every container replica is PID 1, so `casebook-<pid>` named them all alike.
    @Test func workerIDsAreUniquePerProcessStartAndReadable() {
        let first = JobRunner.uniqueWorkerID()
        let second = JobRunner.uniqueWorkerID()
        #expect(first != second)
        let pid = "-\(ProcessInfo.processInfo.processIdentifier)-"
        #expect(first.contains(pid))
        #expect(!first.hasPrefix("-"))
        #expect(first.split(separator: "-").last?.count == 8)
    }

    /// Two replicas both called `casebook-1` (PID 1 in their containers): A's lease expires, B claims
    /// the job; A can neither renew it nor mark it done, B can.
    @Test(arguments: TestDatabase.backends)
    func aTakenOverLeaseCanNeitherRenewNorComplete(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let id = try await db.jobs(plugin: "roles").schedule(name: "remind", payload: nil, at: clock.now(), dedupeKey: nil)
                let postgres = backend == .postgres
                func claim() async throws -> ClaimedJob {
                    let now = millis(clock.now())
                    let claimed = try await db.withSession { sql in
                        try await JobQueue.claim(sql, postgres: postgres, worker: "casebook-1", now: now, leaseUntil: now + 60_000, limit: 1)
                    }
                    return try #require(claimed.first)
                }
                let replicaA = try await claim()
                clock.advance(by: .seconds(61))  // A stalls past its lease (a GC pause, a network partition)
                let replicaB = try await claim()
                #expect(replicaA.id == id && replicaB.id == id)
                #expect(replicaB.generation > replicaA.generation)

                let later = millis(clock.now()) + 60_000
                #expect(try await !db.withSession { sql in try await JobQueue.renew(sql, replicaA, worker: "casebook-1", leaseUntil: later) })
                #expect(try await !db.withSession { sql in try await JobQueue.markDone(sql, replicaA, worker: "casebook-1", now: later) })
                #expect(try await !db.withSession { sql in
                    try await JobQueue.repend(sql, replicaA, worker: "casebook-1", runAt: later, attempts: 0, lastError: "late", now: later)
                })
                #expect(try await db.listJobs(states: ["running"]).map(\.id) == [id], "A's writes changed B's job")

                #expect(try await db.withSession { sql in try await JobQueue.renew(sql, replicaB, worker: "casebook-1", leaseUntil: later) })
                #expect(try await db.withSession { sql in try await JobQueue.markDone(sql, replicaB, worker: "casebook-1", now: later) })
                #expect(try await db.listJobs(states: ["done"]).map(\.id) == [id])
            }
        }
    }

    /// A runner renewing its lease finds another replica holds it: the handler is cancelled (its
    /// further side effects stop) and this runner records nothing; the new holder's outcome stands.
    @Test(arguments: TestDatabase.backends)
    func aRunnerThatLostItsLeaseStopsTheHandlerAndDoesNotCompleteIt(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let started = Recorder<Int64>()
                let stopped = Recorder<String>()
                let sideEffects = Recorder<String>()
                let handlers = JobHandlers(jobs: ["pager": ["page": { _ in
                    started.append(1)
                    do {
                        try await Task.sleep(for: .seconds(3600))
                    } catch {
                        stopped.append("\(type(of: error))")
                        throw error
                    }
                    sideEffects.append("paged after the lease was lost")
                }]])
                let runner = JobRunner(
                    database: db, handlers: handlers, clock: clock, workerID: "casebook-1", logger: testLogger, lease: .seconds(60))
                try await withRunner(runner) {
                    let id = try await db.jobs(plugin: "pager").schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                    try await eventually("the handler runs") { started.count == 1 }
                    try await eventually("the runner waits to renew") { clock.sleeperCount >= 2 }
                    // Replica B (also PID 1, so also `casebook-1`) claims the job, as after a stall.
                    let takeover = millis(clock.now()) + 3_600_000
                    try await db.withSession { sql in
                        try await sql.raw("""
                            UPDATE casebook_jobs SET lease_generation = lease_generation + 1, locked_until = \(bind: takeover)
                            WHERE id = \(bind: id)
                            """).run()
                    }
                    clock.advance(by: .seconds(20))  // the next renewal
                    try await eventually("the handler is stopped") { stopped.count == 1 }
                    #expect(sideEffects.count == 0)
                    let job = try #require(try await db.listJobs(states: ["running", "done", "pending", "dead"]).first)
                    #expect(job.state == "running", "the runner that lost the lease settled the job: \(job.state)")
                    #expect(job.attempts == 1)
                }
            }
        }
    }

    /// Replicas booting together on a fresh PostgreSQL database all create the migrations table
    /// and migrate; none fails on a duplicate key.
    @Test(arguments: TestDatabase.backends)
    func replicasMigratingAFreshDatabaseAtOnceAllSucceed(backend: TestDatabase.Backend) async throws {
        for _ in 0..<3 {
            try await TestDatabase.with(backend) { scratch in
                let results = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                                try await db.migrate([]).count
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                // Each migration was applied by exactly one of them.
                #expect(results.count == 6)
                try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                    #expect(try await db.appliedMigrations().map(\.plugin) == ["casebook", "casebook", "casebook", "casebook"])
                }
            }
        }
    }

    /// Two replicas on one database count one user's invocations together.
    @Test(arguments: TestDatabase.backends)
    func theInvocationWindowIsSharedByEveryConnection(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { first async throws in
                try await scratch.open(clock: clock, migrate: false) { second async throws in
                    #expect(try await first.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) == nil)
                    #expect(try await second.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) == nil)
                    clock.advance(by: .seconds(10))
                    #expect(try await first.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) == nil)
                    let wait = try #require(try await second.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)))
                    #expect(wait == 50)  // the oldest (10 s earlier) leaves the window in 50 s
                    #expect(try await second.admitInvocation(user: "U0CAROL", limit: 3, window: .seconds(60)) == nil)
                    clock.advance(by: .seconds(50))  // the first two leave the window
                    #expect(try await first.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) == nil)
                    #expect(try await second.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) == nil)
                    #expect(try await first.admitInvocation(user: "U0BOB", limit: 3, window: .seconds(60)) != nil)
                    // People who stopped typing are forgotten.
                    clock.advance(by: .seconds(61))
                    try await first.forgetInvocations(olderThan: .seconds(60))
                    let left = try await first.withSession { sql in
                        try await sql.raw("SELECT COUNT(*) AS n FROM casebook_rate_hits").first()?.decode(column: "n", as: Int.self)
                    }
                    #expect(left == 0)
                }
            }
        }
    }
}
