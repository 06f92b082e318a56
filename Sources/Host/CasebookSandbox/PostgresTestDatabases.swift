import CasebookKit
import CasebookStore
import Foundation

/// The PostgreSQL databases test hosts and plugin storage tests run on, migrated once and then
/// reused: a new database costs the server a `CREATE DATABASE` (a copy of `template1`), every
/// migration's DDL (new files for each table and index) and, when dropped, a checkpoint; emptying a
/// used one is one round trip of `DELETE`s, which on tables of a few rows touch no files.
///
/// A database is reused only for the same plugins. Emptying it deletes the rows of every table but
/// the migration ledger, puts back the rows the migrations themselves wrote (the audit chain's head)
/// and restarts its sequences, so the next test sees what a new database would show it. A database
/// whose ledger names other plugins than it was made for (a test that mounted more), or that cannot
/// be emptied, is dropped instead. At most ``concurrentHosts`` are handed out at once, so a burst of
/// parallel tests waits for a database rather than making one each.
///
/// Names carry the process id (`casebook_p<pid>_<n>`): processes sharing a server never hand out
/// each other's databases, and the first process to start after one has ended drops its leftovers.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()
    static let concurrentHosts = 4

    /// A migrated database, the rows its migrations wrote (as JSON per table), and the one
    /// statement that empties it.
    struct Prepared: Sendable {
        var name: String
        var seed: [String: String]
        var emptying: String
    }

    private var idle: [String: [Prepared]] = [:]
    private var handedOut = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var created = 0
    private var sweptLeftovers = false

    /// Runs `body` with the URL of an empty database migrated for `plugins`.
    static func with<T: Sendable>(
        plugins: [any Plugin.Type], admin: String, logger: Logger, _ body: (String) async throws -> T
    ) async throws -> T {
        let key = plugins.map { $0.id }.sorted().joined(separator: ",")
        let prepared = try await shared.take(key: key, plugins: plugins, admin: admin, logger: logger)
        let url = try SandboxDatabase.url(of: prepared.name, admin: admin)
        do {
            let result = try await body(url)
            await shared.giveBack(prepared, key: key, url: url, admin: admin, logger: logger)
            return result
        } catch {
            await shared.giveBack(prepared, key: key, url: url, admin: admin, logger: logger)
            throw error
        }
    }

    private func take(key: String, plugins: [any Plugin.Type], admin: String, logger: Logger) async throws -> Prepared {
        if handedOut >= Self.concurrentHosts {
            await withCheckedContinuation { waiting.append($0) }
        }
        handedOut += 1
        if let prepared = idle[key]?.popLast() { return prepared }
        do {
            if !sweptLeftovers {
                sweptLeftovers = true
                await Self.dropLeftovers(admin: admin, logger: logger)
            }
            created += 1
            let name = "casebook_p\(getpid())_\(created)"
            try await SandboxDatabase.run(["CREATE DATABASE \(name)"], on: admin, logger: logger)
            let (seed, emptying) = try await Database.withDatabase(url: SandboxDatabase.url(of: name, admin: admin), logger: logger) { database async throws in
                try await database.migrate(plugins.map { (plugin: $0.id, migrations: $0.migrations) })
                return try await database.storage(plugin: "casebook-tests").read { sql in
                    var seed: [String: String] = [:]
                    let tables = try await Self.tables(sql)
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
                    return (seed, Self.emptying(tables: Self.childrenFirst(tables, references: references), sequences: sequences))
                }
            }
            return Prepared(name: name, seed: seed, emptying: emptying)
        } catch {
            release()
            throw error
        }
    }

    private func giveBack(_ prepared: Prepared, key: String, url: String, admin: String, logger: Logger) async {
        defer { release() }
        let expected = Set(key.split(separator: ",").map(String.init) + ["casebook"]) // the host's own migrations
        do {
            let reusable = try await Database.withDatabase(url: url, logger: logger) { database async throws in
                try await database.storage(plugin: "casebook-tests").read { sql in
                    let plugins = try await sql.raw("SELECT DISTINCT plugin FROM casebook_migrations").all()
                        .map { try $0.decode(column: "plugin", as: String.self) }
                    guard Set(plugins) == expected else { return false }
                    try await sql.raw("\(unsafeRaw: prepared.emptying)").run()
                    for (table, rows) in prepared.seed.sorted(by: { $0.key < $1.key }) {
                        try await sql.raw("INSERT INTO \(ident: table) SELECT * FROM json_populate_recordset(NULL::\(ident: table), \(bind: rows)::json)").run()
                    }
                    return true
                }
            }
            if reusable {
                idle[key, default: []].append(prepared)
                return
            }
        } catch {}
        try? await SandboxDatabase.run(["DROP DATABASE IF EXISTS \(prepared.name) WITH (FORCE)"], on: admin, logger: logger)
    }

    /// Lets the next waiting test have a database.
    private func release() {
        handedOut -= 1
        if !waiting.isEmpty { waiting.removeFirst().resume() }
    }

    /// One `DO` block that deletes every row of `tables` and restarts `sequences`. `TRUNCATE` would
    /// give each table and index a new file, costing the server far more than a handful of rows.
    static func emptying(tables: [String], sequences: [String]) -> String {
        func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let deletes = tables.map { "DELETE FROM \(quoted($0));" }
        let restarts = sequences.map { "PERFORM setval('\(quoted($0).replacingOccurrences(of: "'", with: "''"))', 1, false);" }
        return "DO $$ BEGIN " + (deletes + restarts).joined(separator: " ") + " END $$"
    }

    /// `tables` ordered so that a table comes before every table it references: deleting in this
    /// order never breaks a foreign key.
    static func childrenFirst(_ tables: [String], references: [(child: String, parent: String)]) -> [String] {
        var remaining = tables
        var ordered: [String] = []
        while !remaining.isEmpty {
            // Tables no remaining table references (a cycle, which our schemas never have, ends the sort).
            let free = remaining.filter { table in !references.contains { $0.parent == table && $0.child != table && remaining.contains($0.child) } }
            let next = free.isEmpty ? remaining : free
            ordered += next
            remaining.removeAll { next.contains($0) }
        }
        return ordered
    }

    /// Every table of the database but the migration ledger.
    private static func tables(_ sql: any SQLDatabase) async throws -> [String] {
        try await sql.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'casebook_migrations' ORDER BY tablename")
            .all().map { try $0.decode(column: "tablename", as: String.self) }
    }

    /// Drops the databases of test processes that are no longer running.
    private static func dropLeftovers(admin: String, logger: Logger) async {
        let names = try? await Database.withDatabase(url: admin, logger: logger) { database async throws in
            try await database.storage(plugin: "casebook-tests").read { sql in
                try await sql.raw("SELECT datname FROM pg_database WHERE datname LIKE 'casebook_p%'").all()
                    .map { try $0.decode(column: "datname", as: String.self) }
            }
        }
        for name in names ?? [] {
            guard let pid = processID(inName: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? await SandboxDatabase.run(["DROP DATABASE IF EXISTS \(name) WITH (FORCE)"], on: admin, logger: logger)
        }
    }

    /// `1234` from `casebook_p1234_7`.
    static func processID(inName name: String) -> pid_t? {
        guard name.hasPrefix("casebook_p"), let digits = name.dropFirst("casebook_p".count).split(separator: "_").first else { return nil }
        return pid_t(digits)
    }
}
