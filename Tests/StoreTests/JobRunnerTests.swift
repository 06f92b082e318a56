import CasebookKit
@testable import CasebookStore
import Foundation
import ServiceLifecycle
import CasebookTesting
import Testing

@Suite struct JobRunnerTests {
    static let allStates = ["pending", "running", "done", "dead", "cancelled"]

    func runner(
        _ db: Database, _ handlers: JobHandlers, clock: ManualClock, worker: String = "w1", maxAttempts: Int = 8, lease: Duration = .seconds(60)
    ) -> JobRunner {
        JobRunner(
            database: db, handlers: handlers, clock: clock, workerID: worker, logger: testLogger, lease: lease,
            maxAttempts: maxAttempts, backoffBase: .seconds(10)
        )
    }

    @Test(arguments: TestDatabase.backends)
    func runsDueJobsAndSleepsUntilFutureOnes(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let seen = Recorder<JSONValue>()
                let handlers = JobHandlers(jobs: ["roles": ["remind": { payload in seen.append(payload) }]])
                try await withRunner(runner(db, handlers, clock: clock)) {
                    let jobs = db.jobs(plugin: "roles")
                    try await jobs.schedule(name: "remind", payload: ["n": 1], at: clock.now(), dedupeKey: nil)
                    try await jobs.schedule(name: "remind", payload: ["n": 2], at: clock.now().addingTimeInterval(300), dedupeKey: nil)
                    try await eventually("the due job ran") { seen.count == 1 }
                    // The runner now sleeps until the future job: nothing runs before its time.
                    try await eventually("the runner sleeps") {
                        let running = try await db.listJobs(states: ["running"])
                        return clock.sleeperCount > 0 && running.isEmpty
                    }
                    #expect(seen.all == [["n": 1]])
                    clock.advance(by: .seconds(300))
                    try await eventually("the future job ran") { seen.count == 2 }
                    try await eventually("both jobs are done") { try await db.listJobs(states: ["done"]).count == 2 }
                    #expect(seen.all == [["n": 1], ["n": 2]])
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func failingJobBacksOffThenDiesWithLastErrorAndCanBeRetried(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let attempts = Recorder<Date>()
                let healthy = Gate()
                let handlers = JobHandlers(jobs: ["pager": ["page": { _ in
                    attempts.append(clock.now())
                    if !healthy.isOpen { throw Boom(message: "PagerDuty said 503 on attempt \(attempts.count)") }
                }]])
                try await withRunner(runner(db, handlers, clock: clock, maxAttempts: 3)) {
                    let id = try await db.jobs(plugin: "pager").schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                    try await eventually("first attempt") { attempts.count == 1 }
                    try await eventually("rescheduled") { try await db.listJobs(states: ["pending"]).first?.attempts == 1 }
                    let retry = try #require(try await db.listJobs(states: ["pending"]).first)
                    #expect(retry.lastError == "PagerDuty said 503 on attempt 1")
                    // Backoff: base 10 s with equal jitter → between 5 and 10 s later, not immediately.
                    #expect(retry.runAt > clock.now())
                    #expect(retry.runAt <= clock.now().addingTimeInterval(10))
                    clock.advance(by: .seconds(10))
                    try await eventually("second attempt") { attempts.count == 2 }
                    try await eventually("rescheduled again") { try await db.listJobs(states: ["pending"]).first?.attempts == 2 }
                    clock.advance(by: .seconds(20))
                    try await eventually("dead") { try await db.listJobs(states: ["dead"]).count == 1 }
                    let dead = try #require(try await db.listJobs(states: ["dead"]).first)
                    #expect(dead.id == id)
                    #expect(dead.attempts == 3)
                    #expect(dead.lastError == "PagerDuty said 503 on attempt 3")
                    #expect(attempts.count == 3)

                    // An operator retries it once the integration is healthy again.
                    healthy.release()
                    #expect(try await db.retryJob(id: id))
                    #expect(try await !db.retryJob(id: id))
                    try await eventually("retried job done") { try await db.listJobs(states: ["done"]).map(\.id) == [id] }
                    #expect(attempts.count == 4)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func expiredLeaseOfDeadRunnerIsRetried(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let id = try await db.jobs(plugin: "roles").schedule(name: "remind", payload: ["n": 1], at: clock.now(), dedupeKey: nil)
                // A runner claims the job and dies (kill -9): the row stays `running` with its lease.
                let postgres = backend == .postgres
                let leaseUntil = millis(clock.now().addingTimeInterval(60))
                let now = millis(clock.now())
                let claimed = try await db.withSession { sql in
                    try await JobQueue.claim(sql, postgres: postgres, worker: "crashed", now: now, leaseUntil: leaseUntil, limit: 10)
                }
                #expect(claimed.map(\.id) == [id])

                let seen = Recorder<Int64>()
                let handlers = JobHandlers(jobs: ["roles": ["remind": { _ in seen.append(id) }]])
                try await withRunner(runner(db, handlers, clock: clock, worker: "survivor")) {
                    try await eventually("runner sleeping until the lease expires") { clock.sleeperCount > 0 }
                    #expect(seen.count == 0)
                    clock.advance(by: .seconds(61))
                    try await eventually("job done by the survivor") { try await db.listJobs(states: ["done"]).map(\.id) == [id] }
                    #expect(seen.count == 1)
                    #expect(try await db.listJobs(states: ["done"]).first?.attempts == 2)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func recurringJobFiresOncePerPeriod(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            let start = clock.now()
            try await scratch.open(clock: clock) { db async throws in
                let fired = Recorder<Date>()
                let handlers = JobHandlers(recurring: [
                    .init(plugin: "roles", name: "digest", interval: .seconds(1500)) { period in fired.append(period) },
                ])
                func nextRun() async throws -> Date? {
                    try await db.listJobs(states: ["pending"]).first { $0.name == "digest" }?.runAt
                }
                try await withRunner(runner(db, handlers, clock: clock)) {
                    try await eventually("recurring row created") { try await nextRun() == start.addingTimeInterval(1500) }
                    clock.advance(by: .seconds(1500))
                    try await eventually("next period scheduled") { try await nextRun() == start.addingTimeInterval(3000) }
                    #expect(fired.all == [start.addingTimeInterval(1500)])
                    // Down for two and a half periods: one run, no catch-up burst, next on the period grid.
                    clock.advance(by: .seconds(3750))
                    try await eventually("period after the gap scheduled") { try await nextRun() == start.addingTimeInterval(6000) }
                    #expect(fired.all == [start.addingTimeInterval(1500), start.addingTimeInterval(3000)])
                }
                // A restarted runner keeps the one row and its time.
                try await withRunner(runner(db, handlers, clock: clock, worker: "w2")) {
                    try await eventually("runner idle") { clock.sleeperCount > 0 }
                    let rows = try await db.listJobs(states: Self.allStates).filter { $0.name == "digest" }
                    #expect(rows.count == 1)
                    #expect(rows.first?.runAt == start.addingTimeInterval(6000))
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func twoRunnersOnOneDatabaseRunEveryJobOnceAndEachPeriodOnce(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            let start = clock.now()
            try await scratch.open(clock: clock) { first async throws in
                try await scratch.open(clock: clock) { second async throws in
                    let ran = Recorder<Int>()
                    let ticks = Recorder<Date>()
                    let handlers = JobHandlers(
                        jobs: ["roles": ["work": { payload in
                            try await Task.sleep(for: .milliseconds(1))
                            ran.append(payload["n"]?.int ?? -1)
                        }]],
                        recurring: [.init(plugin: "roles", name: "tick", interval: .seconds(60)) { ticks.append($0) }]
                    )
                    let a = runner(first, handlers, clock: clock, worker: "replica-a")
                    let b = runner(second, handlers, clock: clock, worker: "replica-b")
                    try await withRunner(a) {
                        try await withRunner(b) {
                            for n in 0..<60 {
                                let db = n.isMultiple(of: 2) ? first : second
                                try await db.jobs(plugin: "roles").schedule(name: "work", payload: ["n": .number(Double(n))], at: clock.now(), dedupeKey: nil)
                            }
                            try await eventually("all jobs done") {
                                try await first.listJobs(states: ["done"]).filter { $0.name == "work" }.count == 60
                            }
                            #expect(ran.all.sorted() == Array(0..<60))
                            for period in 1...3 {
                                clock.advance(by: .seconds(60))
                                try await eventually("tick \(period) rescheduled") {
                                    try await first.listJobs(states: ["pending"]).first { $0.name == "tick" }?.runAt
                                        == start.addingTimeInterval(Double(60 * (period + 1)))
                                }
                            }
                            #expect(ticks.all == [60.0, 120, 180].map { start.addingTimeInterval($0) })
                            let tickRows = try await first.listJobs(states: Self.allStates).filter { $0.name == "tick" }
                            #expect(tickRows.count == 1)
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func eventReachesEverySubscriberEvenAcrossARestart(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let delivered = Recorder<String>()
                let pagerStarted = Gate()
                let subscriptions = ["cases.escalated": ["roles", "pager"]]
                try db.routeEvents(EventRouter(subscriptions: subscriptions))
                // First run: `roles` takes the event, `pager` is mid-delivery when the process stops.
                let stuck = JobHandlers(subscriptions: subscriptions) { subscriber, name, payload in
                    if subscriber == "pager" {
                        pagerStarted.release()
                        try await Gate().wait()  // never opens: only cancellation ends it
                    }
                    delivered.append("\(subscriber):\(name):\(payload["id"]?.string ?? "")")
                }
                try await withRunner(runner(db, stuck, clock: clock)) {
                    try await db.storage(plugin: "cases").transaction { tx in
                        try await tx.events.publish(name: "cases.escalated", payload: ["id": "C7"])
                    }
                    try await eventually("roles got it and pager is mid-delivery") {
                        let done = try await db.listJobs(states: ["done"])
                        return done.count == 1 && pagerStarted.isOpen
                    }
                }
                #expect(delivered.all == ["roles:cases.escalated:C7"])
                #expect(try await db.listJobs(states: ["done"]).map(\.plugin) == ["roles"])

                // After restart the pager delivery still happens (handed back, or after its lease).
                let healthy = JobHandlers(subscriptions: subscriptions) { subscriber, name, payload in
                    delivered.append("\(subscriber):\(name):\(payload["id"]?.string ?? "")")
                }
                try await withRunner(runner(db, healthy, clock: clock, worker: "w2")) {
                    clock.advance(by: .seconds(61))
                    try await eventually("pager delivered") { delivered.count == 2 }
                    try await eventually("both deliveries done") { try await db.listJobs(states: ["done"]).count == 2 }
                }
                #expect(delivered.all == ["roles:cases.escalated:C7", "pager:cases.escalated:C7"])
                let jobs = try await db.listJobs(states: ["done"])
                #expect(Set(jobs.map(\.name)) == ["event:cases.escalated"])
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func gracefulShutdownFinishesInFlightJob(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let started = Gate()
                let finish = Gate()
                let handlers = JobHandlers(jobs: ["roles": ["slow": { _ in
                    started.release()
                    try await finish.wait()
                }]])
                let group = ServiceGroup(services: [runner(db, handlers, clock: clock)], logger: testLogger)
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    let id = try await db.jobs(plugin: "roles").schedule(name: "slow", payload: nil, at: clock.now(), dedupeKey: nil)
                    try await eventually("job started") { started.isOpen }
                    await group.triggerGracefulShutdown()
                    finish.release()
                    // The runner returns only after the in-flight job finished and was recorded.
                    try await tasks.waitForAll()
                    #expect(try await db.listJobs(states: ["done"]).map(\.id) == [id])
                    #expect(try await db.listJobs(states: ["running", "pending"]).isEmpty)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func operatorCancelsPendingJob(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let id = try await db.jobs(plugin: "roles").schedule(name: "remind", payload: nil, at: clock.now().addingTimeInterval(60), dedupeKey: nil)
                #expect(try await db.listJobs().map(\.id) == [id])
                #expect(try await db.cancelJob(id: id))
                #expect(try await !db.cancelJob(id: id))
                #expect(try await db.listJobs().isEmpty)
                #expect(try await db.listJobs(states: ["cancelled"]).map(\.id) == [id])
            }
        }
    }
}
