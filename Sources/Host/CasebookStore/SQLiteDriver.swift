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
        if let direct = Self.direct(D.self, value) { return direct }
        return try decoder.decode(D.self, from: value)
    }

    /// The column types rows are mostly read as, converted as SQLiteKit's decoder converts them but
    /// without its dynamic cast per value (and, for optionals, a decoder object per value). Other
    /// types, and values that do not convert (for the decoder's error), go through the decoder.
    private static func direct<D>(_ type: D.Type, _ value: SQLiteData) -> D? {
        if D.self == String.self { return value.string.map { same($0, as: D.self) } }
        if D.self == Int64.self { return int64(value).map { same($0, as: D.self) } }
        if D.self == Int.self { return int64(value).map { same(Int(truncatingIfNeeded: $0), as: D.self) } }
        if D.self == String?.self {
            if value == .null { return same(String?.none, as: D.self) }
            return value.string.map { same(String?.some($0), as: D.self) }
        }
        if D.self == Int64?.self {
            if value == .null { return same(Int64?.none, as: D.self) }
            return int64(value).map { same(Int64?.some($0), as: D.self) }
        }
        return nil
    }

    /// `value` as `D`, which the caller checked is `T`'s type.
    private static func same<T, D>(_ value: T, as: D.Type) -> D {
        unsafeBitCast(value, to: D.self)
    }

    private static func int64(_ value: SQLiteData) -> Int64? {
        guard case .integer(let integer) = value else { return nil }
        return Int64(integer)
    }

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "no column '\(column)' in the row" }
    }
}
