import CasebookKit
import CasebookStore
import CasebookTesting
import Foundation

/// An empty database for one benchmark (CasebookTesting's ``TestDatabase``: a new SQLite file, or a
/// new PostgreSQL database next to the one `CASEBOOK_TEST_POSTGRES_URL` names, dropped afterwards),
/// and what it weighs.
enum ScratchDatabase {
    /// Named as the benchmark's `--backend` option and its table columns spell them.
    enum Backend: String, Sendable, CaseIterable {
        case sqlite, postgresql
    }

    static var postgresVariable: String { TestDatabase.postgresVariable }
    static var postgresURL: String? { TestDatabase.postgresURL }

    /// Runs `body` with the database's URL; `sqliteFile` is the file's path (nil on PostgreSQL).
    static func with<T: Sendable>(
        _ backend: Backend, logger: Logger, _ body: (_ url: String, _ sqliteFile: String?) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with(backend == .sqlite ? .sqlite : .postgres, logger: logger) { database in
            try await body(database.url, database.backend == .sqlite ? String(database.url.dropFirst("sqlite:".count)) : nil)
        }
    }

    /// Bytes the database takes: the SQLite file plus its WAL, or PostgreSQL's size of the database.
    static func size(of database: Database, sqliteFile: String?) async throws -> Int {
        if let sqliteFile {
            return ["", "-wal"].reduce(0) { total, suffix in
                let attributes = try? FileManager.default.attributesOfItem(atPath: sqliteFile + suffix)
                return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
            }
        }
        return try await database.storage(plugin: "bench").read { sql in
            let row = try await sql.raw("SELECT CAST(pg_database_size(current_database()) AS BIGINT) AS size").first()
            return Int(try row?.decode(column: "size", as: Int64.self) ?? 0)
        }
    }

    /// Bytes one table takes with its indexes (PostgreSQL), or nil on SQLite.
    static func tableSize(_ table: String, of database: Database) async throws -> Int? {
        guard database.dialect == "postgresql" else { return nil }
        return try await database.storage(plugin: "bench").read { sql in
            let row = try await sql.raw("SELECT CAST(pg_total_relation_size(\(bind: table)) AS BIGINT) AS size").first()
            return Int(try row?.decode(column: "size", as: Int64.self) ?? 0)
        }
    }
}
