/// Prepared statements by their SQL, the least recently used evicted first.
///
/// A statement is taken out while it runs and put back (reset) afterwards, so two runs of the same SQL
/// at once each get their own statement; the one put back second replaces nothing and is returned
/// for finalizing.
struct SQLiteStatementCache {
    private struct Entry {
        var statement: OpaquePointer
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The kept statements, left in the cache (for inspecting them).
    var statements: [OpaquePointer] { entries.values.map(\.statement) }

    /// The prepared statement for `sql`, removed from the cache until ``put(_:_:)``; nil if none is kept.
    mutating func take(_ sql: String) -> OpaquePointer? {
        entries.removeValue(forKey: sql)?.statement
    }

    /// Keeps `statement` for `sql`; returns the statement to finalize: the least recently used one
    /// when the cache was full, or `statement` itself when one is already kept for `sql`.
    mutating func put(_ sql: String, _ statement: OpaquePointer) -> OpaquePointer? {
        clock += 1
        if entries[sql] != nil { return statement }
        var evicted: OpaquePointer?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted = entries.removeValue(forKey: oldest.key)?.statement
        }
        entries[sql] = Entry(statement: statement, lastUse: clock)
        return evicted
    }

    /// Empties the cache and returns every kept statement, for finalizing.
    mutating func removeAll() -> [OpaquePointer] {
        defer { entries = [:] }
        return entries.values.map(\.statement)
    }
}
