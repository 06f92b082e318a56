import CasebookKit
import CasebookStore
import Foundation
import CasebookTesting
import Testing

@Suite struct StorageTests {
    static let notes = Migration(1, "notes", ["CREATE TABLE notes_notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"])

    struct Escalated: DomainEvent, Equatable {
        static let name = "notes.escalated"
        var id: String
    }

    @Test(arguments: TestDatabase.backends)
    func rollbackDropsEventsJobsAndAudit(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                try await db.migrate([("notes", [Self.notes])])
                try db.routeEvents(EventRouter(subscriptions: [Escalated.name: ["roles"]]))
                let storage = db.storage(plugin: "notes")
                await #expect(throws: Boom.self) {
                    try await storage.transaction { tx in
                        try await tx.sql.insert(into: "notes_notes").columns("id", "body").values(SQLBind("N1"), SQLBind("x")).run()
                        try await tx.events.publish(Escalated(id: "N1"))
                        try await tx.jobs.schedule(name: "remind", payload: ["id": "N1"], at: clock.now(), dedupeKey: "remind:N1")
                        try await tx.audit.record(actor: "U1", action: "note.created", subject: "N1", details: [:])
                        throw Boom(message: "changed my mind")
                    }
                }
                #expect(try await db.listJobs(states: ["pending", "running", "done", "dead", "cancelled"]).isEmpty)
                #expect(try await db.audit(plugin: "notes").entries(subject: "N1").isEmpty)
                let rows = try await storage.read { sql in try await sql.select().column("id").from("notes_notes").all().count }
                #expect(rows == 0)
                #expect(try await db.verifyAudit().isIntact)

                // The same transaction, committed, keeps all four.
                try await storage.transaction { tx in
                    try await tx.sql.insert(into: "notes_notes").columns("id", "body").values(SQLBind("N1"), SQLBind("x")).run()
                    try await tx.events.publish(Escalated(id: "N1"))
                    try await tx.jobs.schedule(name: "remind", payload: ["id": "N1"], at: clock.now(), dedupeKey: "remind:N1")
                    try await tx.audit.record(actor: "U1", action: "note.created", subject: "N1", details: ["body": "x"])
                }
                let jobs = try await db.listJobs(states: ["pending"])
                #expect(Set(jobs.map { "\($0.plugin).\($0.name)" }) == ["roles.event:notes.escalated", "notes.remind"])
                let entries = try await db.audit(plugin: "notes").entries(subject: "N1")
                #expect(entries.map(\.action) == ["note.created"])
                #expect(entries.first?.details == ["body": "x"])
                #expect(entries.first?.at == clock.now())
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func dedupeKeyKeepsOnePendingJobAndCancelByKey(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let jobs = db.jobs(plugin: "roles")
                let first = try await jobs.schedule(name: "remind", payload: ["n": 1], at: clock.now().addingTimeInterval(60), dedupeKey: "remind:C1")
                let second = try await jobs.schedule(name: "remind", payload: ["n": 2], at: clock.now().addingTimeInterval(120), dedupeKey: "remind:C1")
                #expect(first == second)
                try await jobs.schedule(name: "remind", payload: ["n": 3], at: clock.now().addingTimeInterval(30), dedupeKey: "remind:C2")
                try await jobs.schedule(name: "other", payload: nil, at: clock.now(), dedupeKey: nil)
                // Another plugin's identical key is its own job.
                try await db.jobs(plugin: "cases").schedule(name: "remind", payload: nil, at: clock.now(), dedupeKey: "remind:C1")

                let pending = try await jobs.pending(dedupeKeyPrefix: "remind:")
                #expect(pending.map(\.dedupeKey) == ["remind:C2", "remind:C1"])
                #expect(pending.last?.runAt == clock.now().addingTimeInterval(120))
                #expect(try await jobs.pending(dedupeKeyPrefix: "remind:C1").count == 1)

                #expect(try await jobs.cancel(dedupeKey: "remind:C1"))
                #expect(try await !jobs.cancel(dedupeKey: "remind:C1"))
                #expect(try await jobs.pending(dedupeKeyPrefix: "remind:").map(\.dedupeKey) == ["remind:C2"])
                #expect(try await db.listJobs(states: ["cancelled"]).map(\.id) == [first])
                // After cancelling, the key is free for a new job.
                let third = try await jobs.schedule(name: "remind", payload: nil, at: clock.now(), dedupeKey: "remind:C1")
                #expect(third != first)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func auditChainReadsInOrderAndVerifies(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let audit = db.audit(plugin: "cases")
                for step in 1...5 {
                    try await audit.record(actor: "U\(step)", action: "case.step", subject: step.isMultiple(of: 2) ? "C2" : "C1", details: ["step": .number(Double(step))])
                }
                #expect(try await audit.entries(subject: "C1").map(\.actor) == ["U1", "U3", "U5"])
                #expect(try await db.auditEntries().map(\.sequence) == [1, 2, 3, 4, 5])
                let verification = try await db.verifyAudit()
                #expect(verification.isIntact)
                #expect(verification.entries == 5)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func auditVerifyDetectsEditedEntry(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let audit = db.audit(plugin: "cases")
                for step in 1...5 { try await audit.record(actor: "U1", action: "case.step", subject: "C1", details: ["step": .number(Double(step))]) }
                try await db.storage(plugin: "cases").read { sql in
                    try await sql.raw("UPDATE casebook_audit SET actor = 'U666' WHERE sequence = 3").run()
                }
                let verification = try await db.verifyAudit()
                #expect(verification.firstBadSequence == 3)
                #expect(verification.description.contains("entry 3"))
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func auditVerifyDetectsDeletedEntries(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let audit = db.audit(plugin: "cases")
                for step in 1...5 { try await audit.record(actor: "U1", action: "case.step", subject: "C1", details: ["step": .number(Double(step))]) }
                let storage = db.storage(plugin: "cases")
                try await storage.read { sql in try await sql.raw("DELETE FROM casebook_audit WHERE sequence = 5").run() }
                #expect(try await db.verifyAudit().firstBadSequence == 5)
                try await storage.read { sql in try await sql.raw("DELETE FROM casebook_audit WHERE sequence = 2").run() }
                #expect(try await db.verifyAudit().firstBadSequence == 2)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func concurrentAppendsFromTwoConnectionsKeepTheChainLinear(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { first async throws in
                try await scratch.open(clock: ManualClock()) { second async throws in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<20 {
                            let db = index.isMultiple(of: 2) ? first : second
                            group.addTask {
                                try await db.audit(plugin: "cases").record(actor: "U\(index)", action: "a", subject: "C1", details: nil)
                            }
                        }
                        try await group.waitForAll()
                    }
                    let verification = try await first.verifyAudit()
                    #expect(verification.isIntact)
                    #expect(verification.entries == 20)
                }
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func envelopeDedupeHoldsAcrossConnectionsUntilExpiry(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { first async throws in
                #expect(try await first.firstDelivery(key: "Ev1", ttl: .seconds(600)))
                #expect(try await !first.firstDelivery(key: "Ev1", ttl: .seconds(600)))
            }
            // A restart (or another replica) still knows the envelope.
            try await scratch.open(clock: clock) { second async throws in
                #expect(try await !second.firstDelivery(key: "Ev1", ttl: .seconds(600)))
                #expect(try await second.firstDelivery(key: "Ev2", ttl: .seconds(600)))
                clock.advance(by: .seconds(601))
                #expect(try await second.firstDelivery(key: "Ev1", ttl: .seconds(600)))
            }
        }
    }
}
