import CasebookKit
import NIOCore
import SQLiteKit

/// SQLKit's interface to the backend's connection (in place of SQLiteKit's over SQLiteNIO): the
/// query is serialized in SQLite's dialect and its values are encoded and decoded by SQLiteKit's
/// coders, as before; the statement comes prepared from the handle's cache and runs on the
/// connection's thread, without a hand-off when the caller is already there (a store session is).
struct SQLiteDriver: SQLDatabase {
    let handle: SQLiteHandle
    let thread: SQLiteThread
    let logger: Logger
    let eventLoop: any EventLoop
    let dialect: any SQLDialect = SQLiteDialect()
    var queryLogLevel: Logger.Level? { nil }
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    init(handle: SQLiteHandle, thread: SQLiteThread, logger: Logger, eventLoop: any EventLoop) {
        self.handle = handle
        self.thread = thread
        self.logger = logger
        self.eventLoop = eventLoop
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try prepare(query)
        let handle = handle, decoder = decoder
        try await thread.run {
            try handle.run(sql, binds) { columns, values in onRow(SQLiteRowValues(columns: columns, values: values, decoder: decoder)) }
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }

    private func prepare(_ query: any SQLExpression) throws -> (String, [SQLiteData]) {
        let (sql, binds) = serialize(query)
        return (sql, try binds.map { try encoder.encode($0) })
    }
}

/// A result row, read as SQLiteKit's rows are (a missing column decodes as nil).
struct SQLiteRowValues: SQLRow {
    let columns: SQLiteColumnNames
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool {
        columns.index(of: column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        guard let index = columns.index(of: column) else { throw MissingColumn(column: column) }
        let value = values[index]
        // The column types rows are mostly read as, converted as SQLiteKit's decoder converts them
        // but without its dynamic cast per value (and, for optionals, a decoder object per value);
        // `unsafeBitCast` only once the type is known to be the one cast from. Other types, and
        // values that do not convert (for the decoder's error), go through the decoder.
        let type = ObjectIdentifier(D.self)
        if type == Self.string, let string = value.string {
            return unsafeBitCast(string, to: D.self)
        } else if type == Self.optionalString, value.isNull {
            return unsafeBitCast(String?.none, to: D.self)
        } else if type == Self.optionalString, let string = value.string {
            return unsafeBitCast(String?.some(string), to: D.self)
        } else if type == Self.int64, let integer = Self.integer(value) {
            return unsafeBitCast(integer, to: D.self)
        } else if type == Self.optionalInt64, value.isNull {
            return unsafeBitCast(Int64?.none, to: D.self)
        } else if type == Self.optionalInt64, let integer = Self.integer(value) {
            return unsafeBitCast(Int64?.some(integer), to: D.self)
        } else if type == Self.int, let integer = Self.integer(value) {
            return unsafeBitCast(Int(truncatingIfNeeded: integer), to: D.self)
        }
        return try decoder.decode(D.self, from: value)
    }

    // Looked up once: `String?.self` instantiated the optional's metadata on every use.
    private static let string = ObjectIdentifier(String.self)
    private static let optionalString = ObjectIdentifier(String?.self)
    private static let int64 = ObjectIdentifier(Int64.self)
    private static let optionalInt64 = ObjectIdentifier(Int64?.self)
    private static let int = ObjectIdentifier(Int.self)

    private static func integer(_ value: SQLiteData) -> Int64? {
        guard case .integer(let integer) = value else { return nil }
        return Int64(integer)
    }

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "no column '\(column)' in the row" }
    }
}
