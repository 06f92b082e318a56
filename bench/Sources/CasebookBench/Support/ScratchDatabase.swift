import CasebookKit
import CasebookStore
import Foundation

/// An empty database for one benchmark: a new SQLite file, or a new PostgreSQL database created
/// next to the one `CASEBOOK_TEST_POSTGRES_URL` names and dropped afterwards.
enum ScratchDatabase {
    enum Backend: String, Sendable, CaseIterable {
        case sqlite, postgresql
    }

    static let postgresVariable = "CASEBOOK_TEST_POSTGRES_URL"
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` with the database's URL; `sqliteFile` is the file's path (nil on PostgreSQL).
    static func with<T: Sendable>(
        _ backend: Backend, logger: Logger, _ body: (_ url: String, _ sqliteFile: String?) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-bench-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("bench.sqlite").path
            return try await body("sqlite:\(path)", path)
        case .postgresql:
            guard let admin = postgresURL, var components = URLComponents(string: admin) else {
                throw BenchError("\(postgresVariable) is not set")
            }
            let name = "casebook_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            components.path = "/" + name
            guard let url = components.string else { throw BenchError("cannot build a URL from \(postgresVariable)") }
            try await Database.withDatabase(url: admin, logger: logger) { database in
                try await database.storage(plugin: "bench").read { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
            }
            do {
                let result = try await body(url, nil)
                try await drop(name, admin: admin, logger: logger)
                return result
            } catch {
                try? await drop(name, admin: admin, logger: logger)
                throw error
            }
        }
    }

    private static func drop(_ name: String, admin: String, logger: Logger) async throws {
        try await Database.withDatabase(url: admin, logger: logger) { database in
            try await database.storage(plugin: "bench").read { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
            }
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
