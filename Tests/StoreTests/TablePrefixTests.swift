import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// The migrator holds each plugin to its table prefix (`<plugin id>_`): a pending migration that
/// creates, alters or drops a table or index outside it stops start-up before anything is applied.
@Suite struct TablePrefixTests {
    @Test(arguments: TestDatabase.backends)
    func aMigrationTouchingAnUnprefixedTableFailsNamingPluginMigrationAndTable(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                let good = Migration(1, "notes table", ["CREATE TABLE notes_notes (id TEXT PRIMARY KEY)"])
                let bad = Migration(2, "tags", ["CREATE TABLE tags (id TEXT PRIMARY KEY)"])
                let error = try await #require(throws: StoreError.self) { try await db.migrate([("notes", [good, bad])]) }
                #expect(error == .tableOutsidePrefix(plugin: "notes", version: 2, migration: "tags", table: "tags"))
                #expect(error.description == """
                    migration notes#2 'tags' touches 'tags', outside the plugin's prefix: \
                    a plugin's migrations may only create, alter or drop tables and indexes named 'notes_…'
                    """)
                // Checked before anything ran: not even the good migration (or the host's) was applied.
                #expect(try await db.appliedMigrations().isEmpty)
                // `casebook migrate --dry-run` reports the same.
                await #expect(throws: StoreError.tableOutsidePrefix(plugin: "notes", version: 2, migration: "tags", table: "tags")) {
                    try await db.migrate([("notes", [good, bad])], dryRun: true)
                }
                #expect(try await db.migrate([("notes", [good])]).map(\.description).last == "notes#1 'notes table'")
            }
        }
    }

    @Test func everyFormOfTouchingAnotherPluginsSchemaIsRefused() async throws {
        try await TestDatabase.with(.sqlite) { scratch in
            try await scratch.open(clock: ManualClock(), migrate: false) { db async throws in
                let refused: [(sql: String, table: String)] = [
                    ("CREATE TABLE IF NOT EXISTS \"Notes\" (id TEXT)", "Notes"),
                    ("CREATE UNIQUE INDEX IF NOT EXISTS notes_by_case ON cases_cases (id)", "cases_cases"),
                    ("CREATE INDEX cases_by_title ON notes_notes (id)", "cases_by_title"),
                    ("ALTER TABLE cases_cases ADD COLUMN note TEXT", "cases_cases"),
                    ("ALTER TABLE notes_notes RENAME TO archive", "archive"),
                    ("DROP TABLE IF EXISTS notes_old, roles_incidents", "roles_incidents"),
                    ("DROP INDEX main.cases_cases_opened", "cases_cases_opened"),
                    ("CREATE VIEW open_notes AS SELECT * FROM notes_notes", "open_notes"),
                    ("-- notes_ only\nCREATE TRIGGER notes_touch AFTER INSERT ON cases_cases BEGIN SELECT 1; END", "cases_cases"),
                ]
                for (sql, table) in refused {
                    let migration = Migration(1, "m", [sql])
                    await #expect(throws: StoreError.tableOutsidePrefix(plugin: "notes", version: 1, migration: "m", table: table), "\(sql)") {
                        try await db.migrate([("notes", [migration])], dryRun: true)
                    }
                }
                // What stays inside the prefix passes, whatever else the statement mentions.
                let allowed = Migration(1, "ok", [
                    "CREATE TABLE notes_notes (id TEXT PRIMARY KEY, case_id TEXT REFERENCES cases_cases (id), body TEXT DEFAULT 'CREATE TABLE x')",
                    "CREATE INDEX notes_notes_case ON notes_notes (case_id)",
                    "ALTER TABLE notes_notes RENAME COLUMN body TO text",
                    "INSERT INTO notes_notes (id) SELECT 'n-' || id FROM (SELECT 'x' AS id) AS seed",
                    "ALTER TABLE NOTES_NOTES ADD COLUMN tag TEXT",
                ])
                #expect(try await db.migrate([("notes", [allowed])], dryRun: true).map(\.description).last == "notes#1 'ok'")
            }
        }
    }

    /// Only pending migrations are judged: a database whose applied migrations predate the rule
    /// keeps starting, and its next migration is held to the prefix.
    @Test func anAppliedMigrationIsNotJudgedAgain() async throws {
        try await TestDatabase.with(.sqlite) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let legacy = Migration(1, "legacy", ["CREATE TABLE legacy_notes (id TEXT PRIMARY KEY)"])
                // Recorded as an earlier release (without the check) would have left it.
                try await db.storage(plugin: "notes").read { sql in
                    try await sql.raw("\(unsafeRaw: legacy.statements[0])").run()
                    try await sql.raw("""
                        INSERT INTO casebook_migrations (plugin, version, name, checksum, applied_at)
                        VALUES ('notes', 1, 'legacy', \(bind: legacy.checksum), 0)
                        """).run()
                }
                let next = Migration(2, "tags", ["CREATE TABLE notes_tags (id TEXT PRIMARY KEY)"])
                #expect(try await db.migrate([("notes", [legacy, next])]).map(\.description) == ["notes#2 'tags'"])
                let stray = Migration(3, "more", ["ALTER TABLE legacy_notes ADD COLUMN tag TEXT"])
                await #expect(throws: StoreError.tableOutsidePrefix(plugin: "notes", version: 3, migration: "more", table: "legacy_notes")) {
                    try await db.migrate([("notes", [legacy, next, stray])])
                }
            }
        }
    }
}
