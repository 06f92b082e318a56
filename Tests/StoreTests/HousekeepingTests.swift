import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// Point 9 of the hardening issue: finished jobs and old delivery ids are deleted after their
/// retention; pending and dead jobs are kept.
@Suite struct HousekeepingTests {
    @Test(arguments: TestDatabase.backends)
    func finishedJobsAndOldDeliveriesGoPendingAndDeadStay(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let jobs = db.jobs(plugin: "pager")
                let done = try await jobs.schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                let cancelled = try await jobs.schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: "k")
                let dead = try await jobs.schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                let pending = try await jobs.schedule(name: "page", payload: nil, at: clock.now().addingTimeInterval(30 * 86_400), dedupeKey: nil)
                let now = millis(clock.now())
                try await db.withSession { sql in
                    try await sql.raw("UPDATE casebook_jobs SET state = 'done', updated_at = \(bind: now) WHERE id = \(bind: done)").run()
                    try await sql.raw("UPDATE casebook_jobs SET state = 'dead', updated_at = \(bind: now) WHERE id = \(bind: dead)").run()
                }
                #expect(try await jobs.cancel(dedupeKey: "k"))
                #expect(try await db.deliveries(plugin: "alerts").firstSeen("group-1"))

                let housekeeping = Housekeeping(database: db, clock: clock, jobRetention: .seconds(7 * 86_400), logger: testLogger)
                #expect(try await housekeeping.sweep() == (0, 0))  // nothing is old yet

                clock.advance(by: .seconds(8 * 86_400))
                let swept = try await housekeeping.sweep()
                #expect(swept.jobs == 2)
                #expect(swept.deliveries == 0)
                let left = Set(try await db.listJobs(states: ["pending", "running", "done", "dead", "cancelled"]).map(\.id))
                #expect(left == [dead, pending])
                #expect(!left.contains(done) && !left.contains(cancelled))

                clock.advance(by: .seconds(30 * 86_400))
                #expect(try await housekeeping.sweep().deliveries == 1)
                #expect(try await db.deliveries(plugin: "alerts").firstSeen("group-1"))
            }
        }
    }

    @Test func theServiceSweepsOnItsIntervalOnTheInjectedClock() async throws {
        try await TestDatabase.with(.sqlite) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let jobs = db.jobs(plugin: "pager")
                let id = try await jobs.schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                try await db.withSession { sql in
                    try await sql.raw("UPDATE casebook_jobs SET state = 'done', updated_at = 0 WHERE id = \(bind: id)").run()
                }
                let housekeeping = Housekeeping(database: db, clock: clock, jobRetention: .seconds(3600), interval: .seconds(3600), logger: testLogger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await housekeeping.run() }
                    try await eventually("the first sweep") { try await db.listJobs(states: ["done"]).isEmpty }
                    let again = try await jobs.schedule(name: "page", payload: nil, at: clock.now(), dedupeKey: nil)
                    try await db.withSession { sql in
                        try await sql.raw("UPDATE casebook_jobs SET state = 'done', updated_at = 0 WHERE id = \(bind: again)").run()
                    }
                    try await eventually("the service sleeps") { clock.sleeperCount > 0 }
                    #expect(try await db.listJobs(states: ["done"]).count == 1)
                    clock.advance(by: .seconds(3600))
                    try await eventually("the next sweep") { try await db.listJobs(states: ["done"]).isEmpty }
                    group.cancelAll()
                }
            }
        }
    }
}
