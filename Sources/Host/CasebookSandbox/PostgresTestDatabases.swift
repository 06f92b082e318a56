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

    /// A migrated database and how to empty it.
    struct Prepared: Sendable {
        var name: String
        var emptying: PostgresEmptying
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
        let key = SandboxDatabase.pluginSetKey(plugins)
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
            let emptying = try await Database.withDatabase(url: SandboxDatabase.url(of: name, admin: admin), logger: logger) { database async throws in
                try await database.migrate(plugins.map { (plugin: $0.id, migrations: $0.migrations) })
                return try await database.storage(plugin: "casebook-tests").read { sql in try await PostgresEmptying.survey(sql) }
            }
            return Prepared(name: name, emptying: emptying)
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
                    try await prepared.emptying.apply(sql)
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
