import CasebookKit
import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// Events are routed by an explicit ``EventRouter`` the host builds from its registry and gives the
/// database once; publishing inserts one delivery job per subscribing plugin.
@Suite struct EventRouterTests {
    static let table = Migration(1, "notes", ["CREATE TABLE notes_notes (id TEXT PRIMARY KEY)"])

    @Test func aPluginListedTwiceIsOneSubscriber() {
        let router = EventRouter(subscriptions: ["cases.escalated": ["roles", "pager", "roles"], "cases.closed": []])
        #expect(router.subscribers(of: "cases.escalated") == ["roles", "pager"])
        #expect(router.subscribers(of: "cases.closed").isEmpty)
        #expect(router.subscribers(of: "cases.reopened").isEmpty)
        #expect(router.subscribers == ["cases.escalated": ["roles", "pager"]])
        #expect(router.delivers("cases.escalated", to: "pager"))
        #expect(!router.delivers("cases.escalated", to: "cases"))
        #expect(EventRouter.empty.subscribers.isEmpty)
    }

    @Test(arguments: TestDatabase.backends)
    func eachSubscribedPluginGetsOneDeliveryPerEvent(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                try await db.migrate([("notes", [Self.table])])
                try db.routeEvents(EventRouter(subscriptions: ["notes.added": ["roles", "pager", "roles"], "notes.removed": ["roles"]]))
                try await db.storage(plugin: "notes").transaction { tx in
                    try await tx.events.publish(name: "notes.added", payload: ["id": "N1"])
                    try await tx.events.publish(name: "notes.unheard", payload: ["id": "N1"])
                }
                let jobs = try await db.listJobs(states: ["pending"])
                #expect(jobs.map { "\($0.plugin).\($0.name)" }.sorted() == ["pager.event:notes.added", "roles.event:notes.added"])
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func publishingBeforeEventsAreRoutedFailsAndTheChangeRollsBack(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                try await db.migrate([("notes", [Self.table])])
                #expect(db.eventRouter == nil)
                let storage = db.storage(plugin: "notes")
                let error = try await #require(throws: StoreError.self) {
                    try await storage.transaction { tx in
                        try await tx.sql.insert(into: "notes_notes").columns("id").values(SQLBind("N1")).run()
                        try await tx.events.publish(name: "notes.added", payload: ["id": "N1"])
                    }
                }
                #expect(error == .eventsNotRouted(event: "notes.added"))
                #expect(error.description.hasPrefix("event 'notes.added' was published before the host routed events"))
                #expect(try await storage.read { sql in try await sql.select().column("id").from("notes_notes").all().count } == 0)
                #expect(try await db.listJobs(states: ["pending"]).isEmpty)
            }
        }
    }

    @Test func aDatabaseRoutesForOneRegistry() async throws {
        try await TestDatabase.with(.sqlite) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let router = EventRouter(subscriptions: ["notes.added": ["roles"]])
                try db.routeEvents(router)
                try db.routeEvents(EventRouter(subscriptions: ["notes.added": ["roles", "roles"]]))  // the same routes
                #expect(throws: StoreError.eventsAlreadyRouted) {
                    try db.routeEvents(EventRouter(subscriptions: ["notes.added": ["pager"]]))
                }
                #expect(db.eventRouter == router)
            }
        }
    }

    /// The runner delivers an `event:` job only to a plugin its handlers' router names.
    @Test func theRunnerRefusesADeliveryTheRouterDoesNotName() {
        let handlers = JobHandlers(subscriptions: ["notes.added": ["roles", "roles"]])
        #expect(handlers.events.subscribers(of: "notes.added") == ["roles"])
        #expect(!handlers.events.delivers("notes.added", to: "pager"))
    }
}
