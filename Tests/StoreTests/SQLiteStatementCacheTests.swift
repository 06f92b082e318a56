import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import NIOCore
import SQLiteKit
import Testing

/// The prepared statements the SQLite backend keeps (``SQLiteHandle``, ``SQLiteStatementCache``):
/// a kept statement answers what a fresh one would, before and after the schema changes under it,
/// and none is left behind when the connection closes.
@Suite struct SQLiteStatementCacheTests {
    /// Runs `sql` and returns the rows as column → value.
    private func rows(_ handle: SQLiteHandle, _ sql: String, _ binds: [SQLiteData] = []) throws -> [[String: SQLiteData]] {
        var rows: [[String: SQLiteData]] = []
        try handle.run(sql, binds) { columns, values in
            rows.append(Dictionary(uniqueKeysWithValues: zip(columns.names, values)))
        }
        return rows
    }

    @Test func aKeptStatementSeesColumnsAddedAndTablesReplacedUnderIt() throws {
        let handle = try SQLiteHandle(path: ":memory:")
        defer { try? handle.close() }
        _ = try rows(handle, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        _ = try rows(handle, "INSERT INTO notes (id, body) VALUES (?, ?)", [.integer(1), .text("first")])
        let select = "SELECT * FROM notes ORDER BY id"
        #expect(try rows(handle, select) == [["id": .integer(1), "body": .text("first")]])
        let kept = handle.cachedCount

        _ = try rows(handle, "ALTER TABLE notes ADD COLUMN severity TEXT NOT NULL DEFAULT 'sev2'")
        #expect(try rows(handle, select) == [["id": .integer(1), "body": .text("first"), "severity": .text("sev2")]])

        _ = try rows(handle, "DROP TABLE notes")
        _ = try rows(handle, "CREATE TABLE notes (id INTEGER PRIMARY KEY, score REAL)")
        _ = try rows(handle, "INSERT INTO notes (id, score) VALUES (?, ?)", [.integer(7), .float(0.5)])
        #expect(try rows(handle, select) == [["id": .integer(7), "score": .float(0.5)]])
        // The insert was prepared once more (its table changed), the select was kept all along.
        #expect(handle.cachedCount >= kept)
    }

    @Test func aStatementThatFailedIsNotKeptAndLeavesNoLockBehind() throws {
        let handle = try SQLiteHandle(path: ":memory:")
        defer { try? handle.close() }
        _ = try rows(handle, "CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        let insert = "INSERT INTO notes (id) VALUES (?)"
        _ = try rows(handle, insert, [.integer(1)])
        let failure = try #require(throws: SQLiteFailure.self) { _ = try rows(handle, insert, [.integer(1)]) }
        #expect("\(failure)".contains("UNIQUE constraint failed: notes.id"), "\(failure)")
        #expect(!failure.isBusyOrLocked)
        _ = try rows(handle, insert, [.integer(2)])
        #expect(try rows(handle, "SELECT id FROM notes ORDER BY id") == [["id": .integer(1)], ["id": .integer(2)]])
        // A statement left mid-way would hold the table; dropping it needs none to be active.
        _ = try rows(handle, "DROP TABLE notes")
    }

    @Test func theSameSQLRunInsideItsOwnRowsGetsAStatementOfItsOwn() throws {
        let handle = try SQLiteHandle(path: ":memory:")
        defer { try? handle.close() }
        _ = try rows(handle, "CREATE TABLE n (v INTEGER)")
        for value in 1...3 { _ = try rows(handle, "INSERT INTO n (v) VALUES (?)", [.integer(value)]) }
        let select = "SELECT v FROM n WHERE v >= ? ORDER BY v"
        var pairs: [[Int]] = []
        try handle.run(select, [.integer(2)]) { _, outer in
            let inner = (try? rows(handle, select, [.integer(3)])) ?? []
            pairs.append([outer.first?.integer ?? 0] + inner.compactMap { $0["v"]?.integer })
        }
        #expect(pairs == [[2, 3], [3, 3]])
        #expect(try rows(handle, select, [.integer(1)]).count == 3)
    }

    @Test func longSQLIsRunWithoutBeingKept() throws {
        let handle = try SQLiteHandle(path: ":memory:")
        defer { try? handle.close() }
        let before = handle.cachedCount
        let values = Array(repeating: "(1)", count: SQLiteHandle.longestCachedSQL / 3).joined(separator: ", ")
        #expect(try rows(handle, "SELECT count(*) AS n FROM (VALUES \(values))") == [["n": .integer(SQLiteHandle.longestCachedSQL / 3)]])
        #expect(handle.cachedCount == before)
    }

    @Test func statementsPreparedOneAfterAnotherNeverShareColumnNames() throws {
        let handle = try SQLiteHandle(path: ":memory:")
        defer { try? handle.close() }
        // Too long to keep: each is prepared, run and finalized, and SQLite tends to reuse the memory
        // (and so the address) of the last one for the next.
        let padding = " -- " + String(repeating: "x", count: SQLiteHandle.longestCachedSQL)
        for (index, name) in ["alpha", "beta", "gamma", "alpha"].enumerated() {
            #expect(try rows(handle, "SELECT \(index) AS \(name)" + padding) == [[name: .integer(index)]])
            #expect(try rows(handle, "SELECT \(index) AS kept_\(name)") == [["kept_\(name)": .integer(index)]])
        }
    }

    @Test func closingFinalizesEveryKeptStatement() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("statements-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try SQLiteHandle(path: path)
        _ = try rows(handle, "CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        _ = try rows(handle, "INSERT INTO notes (id) VALUES (1)")
        _ = try rows(handle, "SELECT id FROM notes")
        #expect(handle.cachedCount >= 2)
        // sqlite3_close refuses while a prepared statement is left: this throws if one was.
        try handle.close()
        #expect(handle.cachedCount == 0)
        #expect(throws: SQLiteFailure.self) { _ = try rows(handle, "SELECT id FROM notes") }
    }

    @Test func theCacheEvictsTheLeastRecentlyUsedStatement() throws {
        var cache = SQLiteStatementCache(capacity: 2)
        let a = try #require(OpaquePointer(bitPattern: 0x10)), b = try #require(OpaquePointer(bitPattern: 0x20))
        let c = try #require(OpaquePointer(bitPattern: 0x30)), twin = try #require(OpaquePointer(bitPattern: 0x40))
        #expect(cache.put("a", a) == nil)
        #expect(cache.put("b", b) == nil)
        #expect(cache.take("a") == a)  // a is used again…
        #expect(cache.put("a", a) == nil)
        #expect(cache.put("c", c) == b)  // …so b, the least recently used, goes
        #expect(cache.take("b") == nil)
        #expect(cache.put("c", twin) == twin)  // one statement per SQL is kept
        #expect(Set(cache.removeAll()) == [a, c])
        #expect(cache.count == 0)
    }

    /// Through the store: a plugin's query keeps answering right after a migration changed its table.
    @Test func aPluginQueryAnswersAfterAMigrationChangedItsTable() async throws {
        let v1 = Migration(1, "notes", ["CREATE TABLE notes_notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"])
        let v2 = Migration(2, "severity", ["ALTER TABLE notes_notes ADD COLUMN severity TEXT NOT NULL DEFAULT 'sev3'"])
        try await TestDatabase.with(.sqlite) { scratch in try await scratch.open(clock: ManualClock()) { db async throws in
            try await db.migrate([("notes", [v1])])
            let storage = db.storage(plugin: "notes")
            try await storage.transaction { tx in
                try await tx.sql.insert(into: "notes_notes").columns("id", "body").values(SQLBind("N1"), SQLBind("x")).run()
            }
            let read: @Sendable () async throws -> [String] = {
                try await storage.read { sql in
                    try await sql.raw("SELECT * FROM notes_notes ORDER BY id").all().map { row in row.allColumns.joined(separator: ",") }
                }
            }
            #expect(try await read() == ["id,body"])
            try await db.migrate([("notes", [v1, v2])])
            #expect(try await read() == ["id,body,severity"])
            let severity = try await storage.read { sql in
                try await sql.raw("SELECT * FROM notes_notes ORDER BY id").first()?.decode(column: "severity", as: String.self)
            }
            #expect(severity == "sev3")
        } }
    }

    /// The job runner claims and lists jobs all the time: their statements must stay compiled. With
    /// `LIMIT ?` SQLite compiled them again at every run (it plans with the bound limit), so they
    /// carry their limit as a literal.
    @Test func theJobClaimAndListStayCompiledAcrossRuns() async throws {
        try await Database.withDatabase(url: "sqlite::memory:", logger: testLogger) { db async throws in
            try await db.migrate([])
            guard case .sqlite(let backend) = db.backend else { throw SQLiteFailure.misuse("not SQLite") }
            let storage = db.storage(plugin: "notes")
            for (index, runAt) in [Int64(10), 20, 30, 40].enumerated() {
                _ = try await storage.transaction { tx in
                    try await JobQueue.insert(tx.sql, plugin: "notes", name: "n\(index)", payload: "{}", runAt: runAt, dedupeKey: nil, now: 0)
                }
            }
            var claimed: [String] = []
            var reprepared: [Int32] = []
            for now in [Int64(15), 25, 35, 45] {
                let jobs = try await storage.transaction { tx in
                    try await JobQueue.claim(tx.sql, postgres: false, worker: "w", now: now, leaseUntil: now + 1_000, limit: 1)
                }
                claimed += jobs.map(\.name)
                _ = try await db.listJobs(states: ["pending", "running"])
                reprepared.append(backend.handle.reprepareCount)
            }
            #expect(claimed == ["n0", "n1", "n2", "n3"])
            // The migrations changed the schema under statements kept before them; nothing since.
            #expect(Set(reprepared).count == 1, "compiled again: \(reprepared)")
        }
    }

    /// Rows read their common column types without SQLiteKit's decoder; they must read them the same.
    @Test func rowsDecodeWhatSQLiteKitsDecoderDecodes() throws {
        let values: [SQLiteData] = [.integer(5), .integer(-1), .float(1.5), .text("7"), .text("x"), .text(""), .null, .blob(ByteBuffer(bytes: [1, 2]))]
        let names = try SQLiteHandle(path: ":memory:")
        defer { try? names.close() }
        var columns: SQLiteColumnNames?
        try names.run("SELECT 1 AS v", []) { names, _ in columns = names }
        let column = try #require(columns)
        func same<D: Decodable & Equatable>(_ type: D.Type, _ value: SQLiteData) -> Bool {
            let row = SQLiteRowValues(columns: column, values: [value], decoder: SQLiteDataDecoder())
            let ours = Result { try row.decode(column: "v", as: D.self) }
            let theirs = Result { try SQLiteDataDecoder().decode(D.self, from: value) }
            switch (ours, theirs) {
            case (.success(let a), .success(let b)): return a == b
            case (.failure, .failure): return true
            default: return false
            }
        }
        for value in values {
            #expect(same(String.self, value), "String from \(value)")
            #expect(same(String?.self, value), "String? from \(value)")
            #expect(same(Int64.self, value), "Int64 from \(value)")
            #expect(same(Int64?.self, value), "Int64? from \(value)")
            #expect(same(Int.self, value), "Int from \(value)")
            #expect(same(Double.self, value), "Double from \(value)")
            #expect(same(Bool.self, value), "Bool from \(value)")
        }
    }
}
