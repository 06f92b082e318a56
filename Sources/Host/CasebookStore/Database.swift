import CasebookKit
import PostgresKit
import SQLiteKit
import Synchronization

/// The host's durable state: one SQLite file or one PostgreSQL database, reached through SQLKit.
///
/// Open it with ``open(url:workingDirectory:clock:logger:)`` and run ``services`` in the host's
/// `ServiceGroup` (the PostgreSQL pool), or use ``withDatabase(url:workingDirectory:clock:logger:_:)``
/// in tests and one-shot commands. Then ``migrate(_:dryRun:)`` before anything else.
///
/// Transactions: on SQLite every transaction is `BEGIN IMMEDIATE` on the one connection, serialised
/// in-process and across processes by the busy timeout (5 s). On PostgreSQL transactions run at
/// READ COMMITTED. A transaction that fails with SQLITE_BUSY, a serialization failure (40001) or a
/// deadlock (40P01) is retried up to 3 times in all, so transaction bodies must be free of side effects
/// outside the database. A store call made inside a transaction (or read) of the same task joins it.
public final class Database: Sendable {
    /// `sqlite` or `postgresql`.
    public let dialect: String
    /// The URL with its password masked, for logs and errors.
    public let location: String
    /// Long-running parts to run in the host's `ServiceGroup`: the PostgreSQL pool, or nothing.
    public let services: [any Service]
    let backend: Backend
    let clock: any WallClock
    let logger: Logger
    /// Where published events go; set once by ``routeEvents(_:)``.
    private let router = Mutex<EventRouter?>(nil)
    private let wakers = Mutex<(next: Int, continuations: [Int: Wakeup])>((0, [:]))

    private init(backend: Backend, location: String, services: [any Service], clock: any WallClock, logger: Logger) {
        self.backend = backend
        self.dialect = backend.dialect
        self.location = location
        self.services = services
        self.clock = clock
        self.logger = logger
    }

    /// Opens the database named by `url` (`DATABASE_URL`): nil → `casebook.sqlite` in `workingDirectory`;
    /// `sqlite:PATH`, `sqlite:///ABSOLUTE/PATH`, `sqlite::memory:`; `postgres://…` or `postgresql://…`.
    /// Throws a ``StoreError`` whose description is one line naming the masked URL and the failure.
    public static func open(
        url: String?, workingDirectory: String = FileManager.default.currentDirectoryPath,
        clock: any WallClock = SystemClock(), logger: Logger
    ) async throws -> Database {
        let parsed = try DatabaseURL.parse(url, workingDirectory: workingDirectory)
        switch parsed {
        case .sqliteFile(let path):
            let shown = url.map(DatabaseURL.masked) ?? "sqlite:\(path)"
            do {
                let backend = try await SQLiteBackend.open(storage: .file(path: path), logger: logger)
                return Database(backend: .sqlite(backend), location: shown, services: [], clock: clock, logger: logger)
            } catch {
                throw StoreError.unreachable(url: shown, reason: describe(error))
            }
        case .sqliteMemory:
            do {
                let backend = try await SQLiteBackend.open(storage: .memory, logger: logger)
                return Database(backend: .sqlite(backend), location: "sqlite::memory:", services: [], clock: clock, logger: logger)
            } catch {
                throw StoreError.unreachable(url: "sqlite::memory:", reason: describe(error))
            }
        case .postgres(let postgres):
            let shown = DatabaseURL.masked(url ?? "")
            do {
                try await PostgresBackend.probe(postgres, logger: logger)
                let client = PostgresClient(configuration: try PostgresBackend.configuration(postgres), backgroundLogger: logger)
                return Database(
                    backend: .postgres(PostgresBackend(client: client)), location: shown,
                    services: [PostgresPoolService(client: client)], clock: clock, logger: logger
                )
            } catch {
                throw StoreError.unreachable(url: shown, reason: describe(error))
            }
        }
    }

    /// Opens the database, runs its ``services`` for the duration of `body`, then closes it.
    public static func withDatabase<T: Sendable>(
        url: String?, workingDirectory: String = FileManager.default.currentDirectoryPath,
        clock: any WallClock = SystemClock(), logger: Logger, _ body: (Database) async throws -> T
    ) async throws -> T {
        let database = try await open(url: url, workingDirectory: workingDirectory, clock: clock, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            for service in database.services {
                group.addTask { try await service.run() }
            }
            do {
                let result = try await body(database)
                group.cancelAll()
                try await database.close()
                return result
            } catch {
                group.cancelAll()
                try? await database.close()
                throw error
            }
        }
    }

    /// Replaces every table and row of this SQLite database with those of `template` (SQLite's
    /// backup API). Test hosts start from a migrated template this way: copying its pages costs far
    /// less than running every migration again.
    package func copyContents(of template: Database) async throws {
        guard case .sqlite(let target) = backend, case .sqlite(let source) = template.backend else {
            throw SQLiteFailure.misuse("copying contents needs SQLite databases (\(template.location) → \(location))")
        }
        try await target.copy(from: source)
    }

    /// Closes the SQLite connection. (The PostgreSQL pool stops when its service stops.)
    public func close() async throws {
        if case .sqlite(let backend) = backend { try await backend.close() }
    }

    // MARK: Sessions and transactions

    /// Runs `body` on a connection outside a transaction, or inside the task's current session.
    func withSession<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let owner = ObjectIdentifier(self)
        if let session = Session.current, session.owner == owner {
            return try await body(session.sql)
        }
        return try await backend.withConnection { sql in
            let session = Session(owner: owner, sql: sql, inTransaction: false, wakeAfterCommit: WakeFlag())
            let result = try await Session.$current.withValue(session) { try await body(sql) }
            if session.wakeAfterCommit.isSet { wakeRunners() }
            return result
        }
    }

    /// Runs `body` in a transaction (joining the task's current one), retrying on busy/serialization failure.
    func inTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let owner = ObjectIdentifier(self)
        if let session = Session.current, session.owner == owner {
            if session.inTransaction { return try await body(session.sql) }
            return try await runTransaction(on: session.sql, body)
        }
        var attempt = 1
        while true {
            do {
                return try await backend.withConnection { sql in try await self.runTransaction(on: sql, body) }
            } catch where attempt < 3 && Self.isRetryable(error) {
                logger.debug("retrying transaction", metadata: ["attempt": "\(attempt)", "error": "\(Self.describe(error))"])
                attempt += 1
            }
        }
    }

    private func runTransaction<T: Sendable>(on sql: any SQLDatabase, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let session = Session(owner: ObjectIdentifier(self), sql: sql, inTransaction: true, wakeAfterCommit: WakeFlag())
        try await sql.raw("\(unsafeRaw: backend.beginStatement)").run()
        do {
            let result = try await Session.$current.withValue(session) { try await body(sql) }
            try await sql.raw("COMMIT").run()
            if session.wakeAfterCommit.isSet { wakeRunners() }
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    static func isRetryable(_ error: any Error) -> Bool {
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            return state == "40001" || state == "40P01"
        }
        if let error = error as? SQLiteFailure {
            return error.isBusyOrLocked
        }
        return false
    }

    /// A one-line, password-free description of a driver error (PSQLError hides its details on purpose).
    static func describe(_ error: any Error) -> String {
        var text: String
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                text = message
                if let state = error.serverInfo?[.sqlState] { text += " (SQLSTATE \(state))" }
            } else if let underlying = error.underlying {
                text = "\(error.code): \(underlying)"
            } else {
                text = "\(error.code)"
            }
        } else if let error = error as? StoreError {
            text = error.description
        } else {
            text = String(describing: error)
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    // MARK: Runner wake-ups and event routing

    /// Marks the current session so runners are woken once it commits (or at once outside a session).
    func jobsChanged() {
        if let session = Session.current, session.owner == ObjectIdentifier(self) {
            session.wakeAfterCommit.set()
        } else {
            wakeRunners()
        }
    }

    func wakeRunners() {
        let continuations = wakers.withLock { Array($0.continuations.values) }
        for wakeup in continuations { wakeup.signal() }
    }

    func addWaker(_ continuation: Wakeup) -> Int {
        wakers.withLock { state in
            let token = state.next
            state.next += 1
            state.continuations[token] = continuation
            return token
        }
    }

    func removeWaker(_ token: Int) {
        _ = wakers.withLock { $0.continuations.removeValue(forKey: token) }
    }

    /// Routes published events with `router` (built by the host from its plugin registry) from now
    /// on: each publish inserts one delivery job per subscribing plugin. Called once the plugins are
    /// mounted and before any of them runs; a database routes for one registry, so a different router
    /// later is refused (the same one again is harmless).
    public func routeEvents(_ router: EventRouter) throws {
        try self.router.withLock { current in
            if let current, current != router { throw StoreError.eventsAlreadyRouted }
            current = router
        }
    }

    /// The router given to ``routeEvents(_:)``; nil until then, and publishing is an error.
    public var eventRouter: EventRouter? {
        router.withLock { $0 }
    }

    public var isPostgres: Bool {
        if case .postgres = backend { return true }
        return false
    }
}

/// Milliseconds since 1970, the portable time format of the host's own tables.
func millis(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1000).rounded())
}

func date(millis: Int64) -> Date {
    Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
}
