import CasebookKit
import NIOCore
import SQLiteKit
import VaporCSQLite

/// One open SQLite connection (the `sqlite3` that sqlite-nio bundles, through its C API) and the
/// statements it has prepared.
///
/// SQLiteNIO prepares every statement anew and hands each one to its thread pool and back. The store
/// sends the same few dozen statements over and over (SQLKit writes the same text for the same query),
/// so this handle keeps them prepared (``SQLiteStatementCache``) and runs them synchronously on the
/// calling thread — which, for the store, is the connection's own thread (``SQLiteBackend``).
///
/// Not thread-safe (hence `@unchecked Sendable`): the backend uses it on the connection's thread
/// only, one statement at a time. The connection itself is opened in SQLite's serialized mode, as
/// sqlite-nio did.
final class SQLiteHandle: @unchecked Sendable {
    private var raw: OpaquePointer?
    private var statements = SQLiteStatementCache(capacity: SQLiteHandle.cachedStatements)
    /// The result columns of each live statement, with how often SQLite had prepared it then.
    private var columnNames: [OpaquePointer: (prepared: Int32, names: SQLiteColumnNames)] = [:]

    /// Statements kept prepared. The store and the bundled plugins use fewer than this; a plugin
    /// that builds many distinct statements only evicts the least recently used ones.
    static let cachedStatements = 128
    /// Longer SQL (multi-row inserts of a seeder or an import) is prepared, run and finalized.
    static let longestCachedSQL = 8_192

    /// Opens `path` (`:memory:` for a private in-memory database) with sqlite-nio's flags.
    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
        let result = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let failure = SQLiteFailure(code: result, handle: handle)
            sqlite_nio_sqlite3_close_v2(handle)
            throw failure
        }
        // Wait for other connections' locks (as sqlite-nio did) until the backend's
        // `PRAGMA busy_timeout` bounds the wait: replicas opening one new file at once all set WAL mode.
        sqlite_nio_sqlite3_busy_handler(handle, { _, _ in 1 }, nil)
        raw = handle
    }

    /// How many statements are prepared and waiting for their next use (for tests).
    var cachedCount: Int { statements.count }

    /// How often SQLite compiled the kept statements again, all together (for tests). Besides a
    /// schema change, a bound value that SQLite plans with (`LIMIT ?`) does that at every run,
    /// which makes keeping the statement worthless.
    var reprepareCount: Int32 {
        statements.statements.reduce(0) { $0 + sqlite_nio_sqlite3_stmt_status($1, SQLITE_STMTSTATUS_REPREPARE, 0) }
    }

    /// Runs `sql` with `binds` and hands each row to `onRow`, on the calling thread.
    func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (_ columns: SQLiteColumnNames, _ values: [SQLiteData]) -> Void) throws {
        guard let raw else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        let cacheable = sql.utf8.count <= Self.longestCachedSQL
        let statement = try cacheable ? statements.take(sql) ?? prepare(sql, on: raw, persistent: true) : prepare(sql, on: raw, persistent: false)
        var reusable = false
        defer {
            if reusable && cacheable {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
                let evicted = statements.put(sql, statement)
                if let evicted { finalize(evicted) }
            } else {
                finalize(statement)
            }
        }
        try bind(binds, to: statement, on: raw)
        var columns: SQLiteColumnNames?
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW:
                // Read after the first step: a kept statement whose tables changed is prepared
                // again inside it, and `SELECT *` may then name other columns.
                let names = columns ?? self.columns(of: statement)
                columns = names
                onRow(names, try (0..<Int32(names.names.count)).map { try value(of: statement, at: $0) })
            case SQLITE_DONE:
                reusable = true
                return
            case let result:
                throw SQLiteFailure(code: result, handle: raw)
            }
        }
    }

    /// Replaces this database's pages with `source`'s (SQLite's online backup API). The statements
    /// kept prepared are finalized first: they were compiled against the old schema.
    func copy(from source: SQLiteHandle) throws {
        guard let raw, let sourceRaw = source.raw else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the connection is closed") }
        for statement in statements.removeAll() {
            finalize(statement)
        }
        guard let backup = sqlite_nio_sqlite3_backup_init(raw, "main", sourceRaw, "main") else {
            throw SQLiteFailure(code: sqlite_nio_sqlite3_extended_errcode(raw), handle: raw)
        }
        let stepped = sqlite_nio_sqlite3_backup_step(backup, -1)
        let finished = sqlite_nio_sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE else { throw SQLiteFailure(code: stepped, handle: raw) }
        guard finished == SQLITE_OK else { throw SQLiteFailure(code: finished, handle: raw) }
    }

    /// Finalizes every kept statement, then closes the connection (which fails while any statement
    /// is left unfinalized).
    func close() throws {
        guard let raw else { return }
        for statement in statements.removeAll() {
            finalize(statement)
        }
        let result = sqlite_nio_sqlite3_close(raw)
        guard result == SQLITE_OK else {
            let failure = SQLiteFailure(code: result, handle: raw)
            // Closes once the stray statements are finalized, instead of leaking the connection.
            sqlite_nio_sqlite3_close_v2(raw)
            self.raw = nil
            throw failure
        }
        self.raw = nil
    }

    deinit {
        try? close()
    }

    /// The result columns of `statement`, read once per preparation of it: SQLite prepares a
    /// statement again (inside a step) when its tables changed, and counts how often.
    private func columns(of statement: OpaquePointer) -> SQLiteColumnNames {
        let prepared = sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let known = columnNames[statement], known.prepared == prepared { return known.names }
        let names = SQLiteColumnNames(statement)
        columnNames[statement] = (prepared, names)
        return names
    }

    private func finalize(_ statement: OpaquePointer) {
        // Forgotten first: SQLite may hand the same address to the next statement it prepares.
        columnNames[statement] = nil
        sqlite_nio_sqlite3_finalize(statement)
    }

    private func prepare(_ sql: String, on raw: OpaquePointer, persistent: Bool) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let result = sqlite_nio_sqlite3_prepare_v3(raw, sql, -1, flags, &statement, nil)
        guard result == SQLITE_OK else { throw SQLiteFailure(code: result, handle: raw) }
        // SQL of only whitespace or comments prepares to no statement.
        guard let statement else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "no SQL statement in the query") }
        return statement
    }

    private func bind(_ binds: [SQLiteData], to statement: OpaquePointer, on raw: OpaquePointer) throws {
        for (offset, bind) in binds.enumerated() {
            let index = Int32(offset + 1)
            let result: Int32
            switch bind {
            case .blob(let value):
                result = value.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), SQLiteHandle.transient)
                }
            case .float(let value):
                result = sqlite_nio_sqlite3_bind_double(statement, index, value)
            case .integer(let value):
                result = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
            case .null:
                result = sqlite_nio_sqlite3_bind_null(statement, index)
            case .text(let value):
                var value = value
                result = value.withUTF8 {
                    sqlite_nio_sqlite3_bind_text64(statement, index, $0.baseAddress, UInt64($0.count), SQLiteHandle.transient, UInt8(SQLITE_UTF8))
                }
            }
            guard result == SQLITE_OK else { throw SQLiteFailure(code: result, handle: raw) }
        }
    }

    private func value(of statement: OpaquePointer, at column: Int32) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(.init(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else {
                throw SQLiteFailure(code: SQLITE_NOMEM, message: "no memory for a text column")
            }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }

    /// SQLite copies bound text and blobs (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// The column names of a statement's result, read again whenever SQLite prepared the statement
/// again (a schema change does that, and `SELECT *` may then name other columns).
final class SQLiteColumnNames: Sendable {
    let names: [String]
    private let indices: [String: Int]

    init(_ statement: OpaquePointer) {
        let count = sqlite_nio_sqlite3_column_count(statement)
        names = (0..<count).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
        indices = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first column named `name` (as SQLiteNIO's rows answered).
    func index(of name: String) -> Int? {
        indices[name]
    }
}

/// An SQLite result code with SQLite's message.
struct SQLiteFailure: Error, CustomStringConvertible {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …).
    let code: Int32
    let message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(code: Int32, handle: OpaquePointer?) {
        self.code = code
        self.message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "unknown error"
    }

    /// A call the connection cannot serve (SQLITE_MISUSE).
    static func misuse(_ message: String) -> SQLiteFailure { SQLiteFailure(code: SQLITE_MISUSE, message: message) }

    /// Another connection holds the lock (after the busy timeout), as SQLiteNIO's `.busy`/`.locked`.
    var isBusyOrLocked: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    var description: String { "\(String(cString: sqlite_nio_sqlite3_errstr(code))): \(message)" }
}
