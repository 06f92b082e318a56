import CasebookKit
import NIOPosix
import NIOSSL
import PostgresKit
import SQLiteKit

/// The two databases behind one SQLKit code path. Only connection handling differs here; the
/// few statements that must differ by dialect live next to the queries that need them.
enum Backend: Sendable {
    case sqlite(SQLiteBackend)
    case postgres(PostgresBackend)

    var dialect: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// SQLite transactions take the write lock up front: a deferred transaction that reads first
    /// and writes later can fail with SQLITE_BUSY_SNAPSHOT when another process wrote in between.
    var beginStatement: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let backend): try await backend.withConnection(body)
        case .postgres(let backend): try await backend.withConnection(body)
        }
    }
}

/// One SQLite connection, used by one task at a time: SQLite has a single writer anyway, and
/// serialising here avoids SQLITE_BUSY inside the process. Other processes on the same file are
/// handled by the busy timeout.
///
/// Each connection gets its own thread: SQLite's busy handler sleeps on the calling thread, and on the
/// shared pool two connections to one file could occupy every thread waiting for a lock whose holder
/// then has no thread left to commit on.
final class SQLiteBackend: Sendable {
    let handle: SQLiteHandle
    /// Sessions run on the connection's thread (see ``SQLiteThread``).
    private let thread: SQLiteThread
    private let sql: SQLiteDriver
    private let lock = AsyncLock()

    private init(handle: SQLiteHandle, thread: SQLiteThread, logger: Logger) {
        self.handle = handle
        self.thread = thread
        self.sql = SQLiteDriver(handle: handle, thread: thread, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
    }

    static func open(storage: SQLiteConnection.Storage, logger: Logger) async throws -> SQLiteBackend {
        let thread = try await SQLiteThread.start()
        let path: String
        switch storage {
        case .memory: path = ":memory:"
        case .file(let file): path = file
        }
        let backend: SQLiteBackend
        do {
            let handle = try await thread.run { try SQLiteHandle(path: path) }
            backend = SQLiteBackend(handle: handle, thread: thread, logger: logger)
        } catch {
            try? await thread.stop()
            throw error
        }
        do {
            let sql = backend.sql
            if case .file = storage {
                // Readers don't block the writer and a crash can't leave a half-written page.
                try await sql.raw("PRAGMA journal_mode = WAL").run()
                try await sql.raw("PRAGMA synchronous = NORMAL").run()
            }
            // Another process (a second `casebook` on the same file, `casebook jobs`) may hold the lock.
            try await sql.raw("PRAGMA busy_timeout = 5000").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            return backend
        } catch {
            try? await backend.close()
            throw error
        }
    }

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(thread) {
            try await lock.withLock { try await body(sql) }
        }
    }

    /// Replaces this database's contents with `source`'s, in a session of this connection.
    func copy(from source: SQLiteBackend) async throws {
        let (handle, sourceHandle) = (handle, source.handle)
        try await withConnection { _ in try handle.copy(from: sourceHandle) }
    }

    func close() async throws {
        let handle = handle
        do {
            try await thread.run { try handle.close() }
        } catch {
            try? await thread.stop()
            throw error
        }
        try await thread.stop()
    }
}

/// A PostgreSQL connection pool. The pool only works while ``PostgresPoolService`` runs.
final class PostgresBackend: Sendable {
    let client: PostgresClient

    init(client: PostgresClient) {
        self.client = client
    }

    func withConnection<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    static func configuration(_ location: PostgresLocation) throws -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: try tls(location.tls)
        )
        configuration.options.maximumConnections = 20
        return configuration
    }

    /// Connects once so that a wrong host, port, password or database name fails at start-up with a
    /// clear line instead of inside the pool later.
    static func probe(_ location: PostgresLocation, logger: Logger) async throws {
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: try connectionTLS(location.tls)
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        try await connection.close()
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) throws -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(insecureTLS())
        case .require: return .require(insecureTLS())
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }

    private static func connectionTLS(_ mode: PostgresLocation.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: insecureTLS()))
        case .require: return .require(try NIOSSLContext(configuration: insecureTLS()))
        case .verifyFull: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    /// libpq's `prefer` and `require` encrypt without verifying the certificate; `verify-full` verifies.
    private static func insecureTLS() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }
}

/// Runs the PostgreSQL pool; register it in the host's `ServiceGroup` before anything queries.
public struct PostgresPoolService: Service {
    let client: PostgresClient

    public func run() async throws {
        await client.run()
    }
}
