import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import SQLiteKit
import Testing

/// Copying one SQLite database into another (SQLite's backup API), which in-process test hosts use
/// to start from a migrated template: the copy has the template's schema, ledger and rows, the
/// two stay independent afterwards, and statements kept for the old schema are not reused.
@Suite struct SQLiteCopyTests {
    static let sets: [(plugin: String, migrations: [Migration])] = [
        ("cases", [
            Migration(1, "cases table", ["CREATE TABLE cases_cases (id TEXT PRIMARY KEY, title TEXT NOT NULL)"]),
            Migration(2, "seed", ["INSERT INTO cases_cases (id, title) VALUES ('seed', 'from a migration')"]),
        ]),
    ]

    private func titles(_ database: Database) async throws -> [String] {
        try await database.storage(plugin: "cases").read { sql in
            try await sql.raw("SELECT title FROM cases_cases ORDER BY id").all().map { try $0.decode(column: "title", as: String.self) }
        }
    }

    @Test func aCopyOfAMigratedTemplateNeedsNoMigrationAndStaysItsOwn() async throws {
        try await Database.withDatabase(url: "sqlite::memory:", logger: testLogger) { template async throws in
            try await template.migrate(Self.sets)
            try await Database.withDatabase(url: "sqlite::memory:", logger: testLogger) { copy async throws in
                try await copy.copyContents(of: template)
                #expect(try await copy.migrate(Self.sets).isEmpty, "the ledger came with the tables")
                #expect(try await titles(copy) == ["from a migration"])
                try await copy.storage(plugin: "cases").transaction { tx in
                    try await tx.sql.raw("INSERT INTO cases_cases (id, title) VALUES ('x', 'only in the copy')").run()
                }
                #expect(try await titles(copy) == ["from a migration", "only in the copy"])
                #expect(try await titles(template) == ["from a migration"])
            }
        }
    }

    @Test func statementsKeptForTheOldSchemaAreDroppedByACopy() throws {
        let template = try SQLiteHandle(path: ":memory:")
        defer { try? template.close() }
        try template.run("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []) { _, _ in }
        try template.run("INSERT INTO notes (id, body) VALUES (1, 'from the template')", []) { _, _ in }

        let copy = try SQLiteHandle(path: ":memory:")
        defer { try? copy.close() }
        try copy.run("CREATE TABLE notes (id INTEGER PRIMARY KEY, other INTEGER)", []) { _, _ in }
        try copy.run("SELECT * FROM notes", []) { _, _ in }
        #expect(copy.cachedCount > 0)
        try copy.copy(from: template)
        #expect(copy.cachedCount == 0)
        var rows: [[String]] = []
        try copy.run("SELECT * FROM notes", []) { columns, values in
            rows.append(columns.names + values.map { $0.description })
        }
        #expect(rows == [["id", "body", "1", "\"from the template\""]])
    }

    @Test(.enabled(if: TestDatabase.backends.contains(.postgres)))
    func onlySQLiteDatabasesAreCopied() async throws {
        try await TestDatabase.with(.postgres) { postgres in
            try await postgres.open(clock: SystemClock(), migrate: false) { database in
                try await Database.withDatabase(url: "sqlite::memory:", logger: testLogger) { sqlite async throws in
                    await #expect(throws: (any Error).self) { try await sqlite.copyContents(of: database) }
                }
            }
        }
    }
}
