import CasebookKit
import Crypto

/// A migration that has not been applied yet (what `casebook migrate --dry-run` lists).
public struct PlannedMigration: Sendable, Equatable, CustomStringConvertible {
    public var plugin: String
    public var version: Int
    public var name: String
    public var checksum: String

    public init(plugin: String, version: Int, name: String, checksum: String) {
        self.plugin = plugin
        self.version = version
        self.name = name
        self.checksum = checksum
    }

    public var description: String { "\(plugin)#\(version) '\(name)'" }
}

/// A migration as recorded in `casebook_migrations`.
public struct AppliedMigration: Sendable, Equatable {
    public var plugin: String
    public var version: Int
    public var name: String
    public var checksum: String
    public var appliedAt: Date

    public init(plugin: String, version: Int, name: String, checksum: String, appliedAt: Date) {
        self.plugin = plugin
        self.version = version
        self.name = name
        self.checksum = checksum
        self.appliedAt = appliedAt
    }
}

extension Migration {
    /// SHA-256 over the statements (JSON-encoded, so statement boundaries count); the name may change.
    var checksum: String {
        let text = JSONValue.array(statements.map { .string($0) }).encoded()
        return SHA256.hash(data: Data(text.utf8)).hexString
    }
}

extension Database {
    /// Checks every set against what is recorded and applies the pending migrations in order, each in
    /// its own transaction together with its record. The host's own set (`casebook`) always runs first.
    /// With `dryRun`, only checks and returns what would run. Throws ``StoreError/migrationEdited(plugin:version:name:)``,
    /// ``StoreError/schemaNewer(plugin:appliedVersion:knownVersion:)`` or, for a pending migration that
    /// touches a table or index outside its plugin's `<plugin id>_` prefix,
    /// ``StoreError/tableOutsidePrefix(plugin:version:migration:table:)`` before applying anything.
    @discardableResult
    public func migrate(_ sets: [(plugin: String, migrations: [Migration])], dryRun: Bool = false) async throws -> [PlannedMigration] {
        let all = try allSets(sets)
        try await createMigrationsTable()
        let planned = try plan(all, applied: try await appliedMigrations())
        if dryRun { return planned }
        let byKey = Dictionary(uniqueKeysWithValues: all.flatMap { set in set.migrations.map { ("\(set.plugin)#\($0.version)", $0) } })
        for step in planned {
            guard let migration = byKey["\(step.plugin)#\(step.version)"] else { continue }
            try await apply(migration, plugin: step.plugin)
            logger.info("applied migration", metadata: ["migration": "\(step)"])
        }
        return planned
    }

    /// What ``migrate(_:dryRun:)`` would apply, after the same checks.
    public func plannedMigrations(_ sets: [(plugin: String, migrations: [Migration])]) async throws -> [PlannedMigration] {
        try await migrate(sets, dryRun: true)
    }

    /// Every recorded migration, by plugin and version.
    public func appliedMigrations() async throws -> [AppliedMigration] {
        try await createMigrationsTable()
        return try await withSession { sql in
            try await sql.raw("SELECT plugin, version, name, checksum, applied_at FROM casebook_migrations ORDER BY plugin, version")
                .all().map { row in
                    AppliedMigration(
                        plugin: try row.decode(column: "plugin", as: String.self),
                        version: try row.decode(column: "version", as: Int.self),
                        name: try row.decode(column: "name", as: String.self),
                        checksum: try row.decode(column: "checksum", as: String.self),
                        appliedAt: date(millis: try row.decode(column: "applied_at", as: Int64.self))
                    )
                }
        }
    }

    /// `CREATE TABLE IF NOT EXISTS` is not safe against itself on PostgreSQL: two replicas booting
    /// on a fresh database can both pass the check and one fails on a duplicate key in the catalog.
    /// The advisory lock that serialises migrations serialises this too.
    private func createMigrationsTable() async throws {
        let postgres = isPostgres
        try await inTransaction { sql in
            if postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: MigrationLock.key))").run()
            }
            try await sql.raw("\(unsafeRaw: HostSchema.migrationsTable)").run()
        }
    }

    private func allSets(_ sets: [(plugin: String, migrations: [Migration])]) throws -> [(plugin: String, migrations: [Migration])] {
        var seen: Set<String> = [HostSchema.plugin]
        for set in sets {
            guard seen.insert(set.plugin).inserted else {
                throw StoreError.invalidMigrationSet(plugin: set.plugin, reason: "the plugin id is given twice or is reserved")
            }
            for (index, migration) in set.migrations.enumerated() where migration.version != index + 1 {
                throw StoreError.invalidMigrationSet(
                    plugin: set.plugin, reason: "versions must be 1, 2, 3… in order; found \(migration.version) at position \(index + 1)"
                )
            }
        }
        return [(HostSchema.plugin, HostSchema.migrations(dialect: dialect))] + sets
    }

    private func plan(_ sets: [(plugin: String, migrations: [Migration])], applied: [AppliedMigration]) throws -> [PlannedMigration] {
        let appliedByPlugin = Dictionary(grouping: applied, by: \.plugin)
        var planned: [PlannedMigration] = []
        for set in sets {
            let done = Dictionary(uniqueKeysWithValues: (appliedByPlugin[set.plugin] ?? []).map { ($0.version, $0) })
            if let newest = done.keys.max(), newest > set.migrations.count {
                throw StoreError.schemaNewer(plugin: set.plugin, appliedVersion: newest, knownVersion: set.migrations.count)
            }
            for migration in set.migrations {
                if let record = done[migration.version] {
                    if record.checksum != migration.checksum {
                        throw StoreError.migrationEdited(plugin: set.plugin, version: migration.version, name: migration.name)
                    }
                } else {
                    try TablePrefix.check(migration, plugin: set.plugin)
                    planned.append(PlannedMigration(
                        plugin: set.plugin, version: migration.version, name: migration.name, checksum: migration.checksum
                    ))
                }
            }
        }
        return planned
    }

    /// Applies one migration unless another replica did so meanwhile (PostgreSQL: under an advisory lock).
    private func apply(_ migration: Migration, plugin: String) async throws {
        let postgres = isPostgres
        let now = millis(clock.now())
        try await inTransaction { sql in
            if postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: MigrationLock.key))").run()
            }
            let existing = try await sql.raw(
                "SELECT checksum FROM casebook_migrations WHERE plugin = \(bind: plugin) AND version = \(bind: migration.version)"
            ).first()
            if let existing {
                if try existing.decode(column: "checksum", as: String.self) != migration.checksum {
                    throw StoreError.migrationEdited(plugin: plugin, version: migration.version, name: migration.name)
                }
                return
            }
            for statement in migration.statements {
                try await sql.raw("\(unsafeRaw: statement)").run()
            }
            try await sql.raw("""
                INSERT INTO casebook_migrations (plugin, version, name, checksum, applied_at)
                VALUES (\(bind: plugin), \(bind: migration.version), \(bind: migration.name), \(bind: migration.checksum), \(bind: now))
                """).run()
        }
    }
}

/// The advisory lock id that serialises migrations of several replicas starting at once.
enum MigrationLock {
    static let key: Int64 = 0x63_61_73_65_62_6F_6F_6B  // "casebook"
}
