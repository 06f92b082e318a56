import CasebookKit
import CasebookStore
import Foundation

/// The PostgreSQL databases test hosts run on, migrated once and then reused: a database for a
/// test host costs the server a `CREATE DATABASE` (a copy of `template1`) plus every migration over
/// the wire, about 0.4 s in a debug build, while emptying a used one takes one `TRUNCATE`.
///
/// A database is reused only by hosts of the same plugins. Emptying it truncates every table but
/// the migration ledger and puts back the rows the migrations themselves wrote (the audit chain's
/// head), so the next test sees what a new database would show it. A database whose ledger names
/// other plugins than it was made for (a test that mounted more), or that cannot be emptied, is
/// dropped instead. At most ``concurrentHosts`` are handed out at once, so a burst of parallel
/// tests waits for a database rather than making one each.
///
/// Names carry the process id (`casebook_p<pid>_<n>`): processes sharing a server never hand out
/// each other's databases, and the first process to start after one has ended drops its leftovers.
actor PostgresTestDatabases {
    static let shared = PostgresTestDatabases()
    static let concurrentHosts = 4

    /// A migrated database and the rows its migrations wrote, as JSON per table.
    struct Prepared: Sendable {
        var name: String
        var seed: [String: String]
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
            let seed = try await Database.withDatabase(url: SandboxDatabase.url(of: name, admin: admin), logger: logger) { database async throws in
                try await database.migrate(plugins.map { (plugin: $0.id, migrations: $0.migrations) })
                return try await database.storage(plugin: "casebook-tests").read { sql in
                    var seed: [String: String] = [:]
                    for table in try await Self.tables(sql) {
                        let rows = try await sql.raw("SELECT json_agg(t)::text AS rows FROM \(ident: table) t").first()
                        if let json = try rows?.decodeNil(column: "rows") == false ? rows?.decode(column: "rows", as: String.self) : nil {
                            seed[table] = json
                        }
                    }
                    return seed
                }
            }
            return Prepared(name: name, seed: seed)
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
                    let tables = try await Self.tables(sql)
                    let list = tables.map { "\"\($0)\"" }.joined(separator: ", ")
                    try await sql.raw("TRUNCATE \(unsafeRaw: list) RESTART IDENTITY CASCADE").run()
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
