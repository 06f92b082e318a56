import CasebookKit
import CasebookStore
import Foundation
import CasebookTesting
import Testing

@Suite struct MigrationTests {
    static let v1 = Migration(1, "cases table", ["CREATE TABLE cases_cases (id TEXT PRIMARY KEY, title TEXT NOT NULL)"])
    static let v2 = Migration(2, "add evidence", ["CREATE TABLE cases_evidence (case_id TEXT NOT NULL, link TEXT NOT NULL)"])
    static let v3 = Migration(3, "add severity", ["ALTER TABLE cases_cases ADD COLUMN severity TEXT"])

    @Test(arguments: TestDatabase.backends)
    func appliesAndRecordsInOrder(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                let planned = try await db.migrate([("cases", [Self.v1, Self.v2])], dryRun: true)
                #expect(planned.map(\.description) == [
                    "casebook#1 'jobs, audit timeline, envelope dedupe'", "casebook#2 'webhook deliveries, approvals'",
                    "casebook#3 'job trace context'", "casebook#4 'lease generations, shared rate limit'",
                    "cases#1 'cases table'", "cases#2 'add evidence'",
                ])
                #expect(try await db.appliedMigrations().isEmpty)

                let applied = try await db.migrate([("cases", [Self.v1, Self.v2])])
                #expect(applied == planned)
                let records = try await db.appliedMigrations()
                #expect(records.map { "\($0.plugin)#\($0.version)" } == ["casebook#1", "casebook#2", "casebook#3", "casebook#4", "cases#1", "cases#2"])
                #expect(records.allSatisfy { $0.checksum.count == 64 })
                // Tables exist and work.
                try await db.storage(plugin: "cases").read { sql in
                    try await sql.insert(into: "cases_evidence").columns("case_id", "link").values(SQLBind("C1"), SQLBind("https://x")).run()
                }
                // Nothing left to do the second time.
                #expect(try await db.migrate([("cases", [Self.v1, Self.v2])]).isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func refusesEditedMigration(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                try await db.migrate([("cases", [Self.v1, Self.v2])])
                let edited = Migration(2, "add evidence", ["CREATE TABLE cases_evidence (case_id TEXT, link TEXT, note TEXT)"])
                let error = try await #require(throws: StoreError.self) { try await db.migrate([("cases", [Self.v1, edited])]) }
                #expect(error.description.hasPrefix("migration cases#2 'add evidence' was edited after it was applied"))
                #expect(error == .migrationEdited(plugin: "cases", version: 2, name: "add evidence"))
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func refusesNewerSchema(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                try await db.migrate([("cases", [Self.v1, Self.v2, Self.v3])])
                let error = try await #require(throws: StoreError.self) { try await db.migrate([("cases", [Self.v1, Self.v2])], dryRun: true) }
                #expect(error == .schemaNewer(plugin: "cases", appliedVersion: 3, knownVersion: 2))
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func upgradesDatabaseCreatedByEarlierRelease(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            // An earlier release knew only v1 and stored a case.
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                try await db.migrate([("cases", [Self.v1])])
                try await db.storage(plugin: "cases").transaction { tx in
                    try await tx.sql.insert(into: "cases_cases").columns("id", "title").values(SQLBind("C1"), SQLBind("db down")).run()
                }
            }
            // The new release, on a fresh process (new connection), brings v2 and v3.
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                let planned = try await db.plannedMigrations([("cases", [Self.v1, Self.v2, Self.v3])])
                #expect(planned.map(\.description) == ["cases#2 'add evidence'", "cases#3 'add severity'"])
                try await db.migrate([("cases", [Self.v1, Self.v2, Self.v3])])
                let row = try await db.storage(plugin: "cases").read { sql in
                    try await sql.raw("UPDATE cases_cases SET severity = 'SEV1' WHERE id = 'C1' RETURNING title, severity").first()
                }
                #expect(try row?.decode(column: "title", as: String.self) == "db down")
                #expect(try row?.decode(column: "severity", as: String.self) == "SEV1")
                #expect(try await db.appliedMigrations().filter { $0.plugin == "cases" }.map(\.version) == [1, 2, 3])
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func failedMigrationRollsBackAndIsNotRecorded(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                let broken = Migration(2, "broken", ["CREATE TABLE cases_tmp (x TEXT)", "THIS IS NOT SQL"])
                await #expect(throws: (any Error).self) { try await db.migrate([("cases", [Self.v1, broken])]) }
                #expect(try await db.appliedMigrations().filter { $0.plugin == "cases" }.map(\.version) == [1])
                // cases_tmp was rolled back with the failed statement, so the fixed migration applies cleanly.
                let fixed = Migration(2, "broken", ["CREATE TABLE cases_tmp (x TEXT)"])
                #expect(try await db.migrate([("cases", [Self.v1, fixed])]).map(\.version) == [2])
            }
        }
    }
}
