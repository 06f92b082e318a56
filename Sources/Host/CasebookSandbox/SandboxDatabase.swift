import CasebookKit
import CasebookStore
import Foundation

/// A fresh, empty database for one test, on SQLite or on PostgreSQL, so that SQL is tested on
/// both engines Casebook supports.
///
/// PostgreSQL joins when `CASEBOOK_TEST_POSTGRES_URL` names a server database a test may create
/// databases next to (`eval "$(bash .ci/postgres.sh)"` starts one); in CI (`CI` set) it always
/// joins, and a missing variable fails the test rather than skipping PostgreSQL silently.
///
/// ```swift
/// @Test(arguments: SandboxDatabase.backends)
/// func escalationIsConditional(_ backend: SandboxDatabase.Backend) async throws {
///     try await SandboxDatabase.with(backend) { database in
///         try await database.open(migrating: [MyPlugin.self]) { db in … }
///     }
/// }
/// ```
public struct SandboxDatabase: Sendable {
    public enum Backend: String, CaseIterable, Sendable {
        case sqlite, postgres
    }

    public static let postgresVariable = "CASEBOOK_TEST_POSTGRES_URL"
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
    }
    public static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false
    }

    /// Logs warnings and errors only, so test output stays readable.
    public static var quietLogger: Logger {
        var logger = Logger(label: "casebook.test-database")
        logger.logLevel = .warning
        return logger
    }

    /// The backends to run a storage test on.
    public static var backends: [Backend] { postgresURL != nil || isCI ? [.sqlite, .postgres] : [.sqlite] }

    /// The `DATABASE_URL` of this database.
    public let url: String
    public let backend: Backend

    /// Runs `body` with a new database of `backend`: a SQLite file in a temporary directory, or a
    /// PostgreSQL database created for the test; either is removed afterwards.
    public static func with<T: Sendable>(
        _ backend: Backend, logger: Logger = quietLogger, _ body: (SandboxDatabase) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-db-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await body(SandboxDatabase(url: "sqlite:" + directory.appendingPathComponent("test.sqlite").path, backend: backend))
        case .postgres:
            guard let admin = postgresURL, URLComponents(string: admin) != nil else { throw missingPostgres }
            let name = "casebook_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let url = try url(of: name, admin: admin)
            try await run(["CREATE DATABASE \(name)"], on: admin, logger: logger)
            do {
                let result = try await body(SandboxDatabase(url: url, backend: backend))
                try? await run(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], on: admin, logger: logger)
                return result
            } catch {
                try? await run(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], on: admin, logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` on a database that has the host's migrations and those of `plugins` and no other
    /// rows: SQLite in memory, copied from a migrated template (``SQLiteTestTemplates``), or a reused
    /// PostgreSQL database (``PostgresTestDatabases``), which costs the server far less than a new
    /// one. For tests of a plugin's storage; tests of migrations themselves need ``with(_:logger:_:)``.
    public static func withMigrated<T: Sendable>(
        _ backend: Backend, plugins: [any Plugin.Type], clock: any WallClock = SystemClock(), logger: Logger = quietLogger,
        _ body: (Database) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite:
            return try await Database.withDatabase(url: SandboxHost.inMemorySQLite, clock: clock, logger: logger) { database async throws in
                try await SQLiteTestTemplates.fill(database, plugins: plugins, logger: logger)
                return try await body(database)
            }
        case .postgres:
            // Migrated for `plugins` when it was made: no migration check per test.
            return try await withMigratedURL(plugins: plugins, logger: logger) { url in
                try await Database.withDatabase(url: url, clock: clock, logger: logger, body)
            }
        }
    }

    /// Which migrated database (or template) a test with `plugins` can share: their ids, sorted.
    static func pluginSetKey(_ plugins: [any Plugin.Type]) -> String {
        plugins.map { $0.id }.sorted().joined(separator: ",")
    }

    /// The URL of a reused PostgreSQL database migrated for `plugins`.
    static func withMigratedURL<T: Sendable>(plugins: [any Plugin.Type], logger: Logger, _ body: (String) async throws -> T) async throws -> T {
        guard let admin = postgresURL, URLComponents(string: admin) != nil else { throw missingPostgres }
        return try await PostgresTestDatabases.with(plugins: plugins, admin: admin, logger: logger, body)
    }

    /// Opens this database (several connections may be open at once), applies the host's
    /// migrations and those of `plugins` unless `migrate` is false, and closes it after `body`.
    public func open<T: Sendable>(
        clock: any WallClock = SystemClock(), logger: Logger = quietLogger,
        migrate: Bool = true, migrating plugins: [any Plugin.Type] = [], _ body: (Database) async throws -> T
    ) async throws -> T {
        try await Database.withDatabase(url: url, clock: clock, logger: logger) { database async throws in
            if migrate { _ = try await database.migrate(plugins.map { (plugin: $0.id, migrations: $0.migrations) }) }
            return try await body(database)
        }
    }

    /// Statements in order on one connection to `url`, usually the server's administrative
    /// database (names here are generated, never input).
    static func run(_ statements: [String], on url: String, logger: Logger) async throws {
        try await Database.withDatabase(url: url, logger: logger) { database async throws in
            try await database.storage(plugin: "casebook-tests").read { sql in
                for statement in statements { try await sql.raw("\(unsafeRaw: statement)").run() }
            }
        }
    }

    static var missingPostgres: SandboxDatabaseError {
        SandboxDatabaseError("\(postgresVariable) is not set (or not a URL); the PostgreSQL tests need it: eval \"$(bash .ci/postgres.sh)\"")
    }

    /// The URL of the database `name` on the server of `admin`.
    static func url(of name: String, admin: String) throws -> String {
        guard var components = URLComponents(string: admin) else { throw SandboxDatabaseError("\(postgresVariable) is not a URL") }
        components.path = "/" + name
        guard let url = components.string else { throw SandboxDatabaseError("cannot build a database URL from \(postgresVariable)") }
        return url
    }
}

/// The test database could not be provided.
public struct SandboxDatabaseError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
