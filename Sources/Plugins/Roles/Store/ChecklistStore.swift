import CasebookKit

/// Who ticked an item of an incident's checklist, and when.
struct ChecklistTick: Sendable, Equatable {
    var key: String
    var text: String
    var by: String
    var at: Date
}

/// The SQL of the checklist's tables: the posted message of each incident and its ticked items.
/// Ticks are conditional writes (a tick is inserted once, an untick deletes what exists), so two
/// people clicking at once each record exactly the change they made.
enum ChecklistStore {
    static func message(caseID: String, on db: any SQLDatabase) async throws -> MessageRef? {
        guard let row = try await db.raw("""
            SELECT message_channel, message_ts FROM roles_checklists WHERE case_id = \(bind: caseID)
            """).first()
        else { return nil }
        return MessageRef(channel: try row.decode(column: "message_channel", as: String.self), ts: try row.decode(column: "message_ts", as: String.self))
    }

    /// Remembers the posted checklist unless one is remembered already (`replacing` nil), or in
    /// place of the message `replacing`; false when another writer got there first.
    static func storeMessage(caseID: String, _ ref: MessageRef, replacing old: String?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        if let old {
            return try await !db.raw("""
                UPDATE roles_checklists SET message_channel = \(bind: ref.channel), message_ts = \(bind: ref.ts), posted_at = \(bind: millis(now))
                WHERE case_id = \(bind: caseID) AND message_ts = \(bind: old) RETURNING case_id
                """).all().isEmpty
        }
        return try await !db.raw("""
            INSERT INTO roles_checklists (case_id, message_channel, message_ts, posted_at)
            VALUES (\(bind: caseID), \(bind: ref.channel), \(bind: ref.ts), \(bind: millis(now)))
            ON CONFLICT (case_id) DO NOTHING
            RETURNING case_id
            """).all().isEmpty
    }

    /// The ticked items, oldest tick first.
    static func ticks(caseID: String, on db: any SQLDatabase) async throws -> [ChecklistTick] {
        try await db.raw("""
            SELECT item_key, item_text, ticked_by, ticked_at FROM roles_checklist_ticks
            WHERE case_id = \(bind: caseID) ORDER BY ticked_at, item_key
            """).all().map { row in
            ChecklistTick(
                key: try row.decode(column: "item_key", as: String.self), text: try row.decode(column: "item_text", as: String.self),
                by: try row.decode(column: "ticked_by", as: String.self), at: date(try row.decode(column: "ticked_at", as: Int64.self)))
        }
    }

    /// Ticks the item unless it is ticked; false when it already was.
    static func tick(caseID: String, _ tick: ChecklistTick, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            INSERT INTO roles_checklist_ticks (case_id, item_key, item_text, ticked_by, ticked_at)
            VALUES (\(bind: caseID), \(bind: tick.key), \(bind: tick.text), \(bind: tick.by), \(bind: millis(tick.at)))
            ON CONFLICT (case_id, item_key) DO NOTHING
            RETURNING item_key
            """).all().isEmpty
    }

    /// Unticks the item if it is ticked; false when it was not.
    static func untick(caseID: String, key: String, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            DELETE FROM roles_checklist_ticks WHERE case_id = \(bind: caseID) AND item_key = \(bind: key) RETURNING item_key
            """).all().isEmpty
    }
}
