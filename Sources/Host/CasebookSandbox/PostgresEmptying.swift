import CasebookStore
import Foundation

/// How to bring a migrated PostgreSQL test database back to what a new one would show: delete
/// every row but the migration ledger's, put back the rows the migrations themselves wrote (the
/// audit chain's head) and restart the sequences. Read once after migrating (``survey(_:)``).
///
/// One `DO` block of `DELETE`s rather than `TRUNCATE`: truncating gives every table and index a
/// new file, which costs the server far more than the handful of rows a test leaves.
struct PostgresEmptying: Sendable {
    /// The rows the migrations wrote, as JSON per table.
    var seed: [String: String]
    /// Deletes every row, children before the tables they reference, and restarts the sequences.
    var statement: String

    static func survey(_ sql: any SQLDatabase) async throws -> PostgresEmptying {
        let tables = try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'casebook_migrations' ORDER BY tablename")
            .all().map { try $0.decode(column: "tablename", as: String.self) }
        var seed: [String: String] = [:]
        for table in tables {
            let rows = try await sql.raw("SELECT json_agg(t)::text AS rows FROM \(ident: table) t").first()
            if let json = try rows?.decodeNil(column: "rows") == false ? rows?.decode(column: "rows", as: String.self) : nil {
                seed[table] = json
            }
        }
        let sequences = try await sql.raw("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename")
            .all().map { try $0.decode(column: "sequencename", as: String.self) }
        let references = try await sql.raw("""
            SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
            FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
            """).all().map { (child: try $0.decode(column: "child", as: String.self), parent: try $0.decode(column: "parent", as: String.self)) }
        return PostgresEmptying(seed: seed, statement: statement(deleting: childrenFirst(tables, references: references), restarting: sequences))
    }

    func apply(_ sql: any SQLDatabase) async throws {
        try await sql.raw("\(unsafeRaw: statement)").run()
        for (table, rows) in seed.sorted(by: { $0.key < $1.key }) {
            try await sql.raw("INSERT INTO \(ident: table) SELECT * FROM json_populate_recordset(NULL::\(ident: table), \(bind: rows)::json)").run()
        }
    }

    /// `tables` ordered so that a table comes before every table it references: deleting in this
    /// order never breaks a foreign key. (A cycle, which our schemas never have, ends the sort.)
    static func childrenFirst(_ tables: [String], references: [(child: String, parent: String)]) -> [String] {
        var remaining = tables
        var ordered: [String] = []
        while !remaining.isEmpty {
            let unreferenced = remaining.filter { table in
                !references.contains { $0.parent == table && $0.child != table && remaining.contains($0.child) }
            }
            let next = unreferenced.isEmpty ? remaining : unreferenced
            ordered += next
            remaining.removeAll { next.contains($0) }
        }
        return ordered
    }

    static func statement(deleting tables: [String], restarting sequences: [String]) -> String {
        func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let deletes = tables.map { "DELETE FROM \(quoted($0));" }
        let restarts = sequences.map { "PERFORM setval('\(quoted($0).replacingOccurrences(of: "'", with: "''"))', 1, false);" }
        return "DO $$ BEGIN " + (deletes + restarts).joined(separator: " ") + " END $$"
    }
}
