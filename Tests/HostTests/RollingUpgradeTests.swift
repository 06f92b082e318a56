import CasebookKit
import CasebookStore
import CasebookTesting
import Testing

/// A rolling upgrade as README "Upgrading and backups" describes it: the new version's migrations
/// run (`casebook migrate` in an init container or a pipeline step) against the database a host of
/// the old version is serving from; the old host keeps serving and the new version's code works on
/// the same data. Then the limit the migrator sets on purpose: an old version that *starts* now is
/// refused, because the database is newer than its code.
///
/// The versions are the README's example plugin (`freeze`) as shipped, and the same plugin one
/// release later with an additive migration — the only kind a rolling upgrade allows.
@Suite("Rolling upgrade")
struct RollingUpgradeTests {
    static let config = DeployFreezeTests.config

    /// Release N+1 of `freeze`: a nullable column and a new table, nothing renamed or dropped.
    static let newerMigrations = DeployFreeze.migrations + [
        Migration(2, "freeze tickets and exemptions", [
            "ALTER TABLE freeze_freezes ADD COLUMN ticket TEXT",
            "CREATE TABLE freeze_exemptions (freeze_id INTEGER NOT NULL, service TEXT NOT NULL, PRIMARY KEY (freeze_id, service))",
        ])
    ]

    struct Freeze: Decodable, Equatable {
        var id: Int
        var reason: String
        var ticket: String?
    }

    @Test(arguments: TestDatabase.backends)
    func newMigrationsRunWhileAnOldHostServesAndBothKeepWorking(_ backend: TestDatabase.Backend) async throws {
        try await TestHost.withRunning(plugins: [DeployFreeze.self], config: Self.config, database: backend) { host in
            let before = try await host.slash("freeze before the upgrade", as: "alice", in: "general")
            #expect(before?.text.hasPrefix("Freeze #1 is on") == true)

            // The new version, in another "process": its own connection(s) to the same database.
            try await Database.withDatabase(url: host.databaseURL, logger: TestDatabase.quietLogger) { newer in
                let sets = [(plugin: DeployFreeze.id, migrations: Self.newerMigrations)]
                let planned = try await newer.migrate(sets, dryRun: true)
                #expect(planned.map(\.description) == ["freeze#2 'freeze tickets and exemptions'"])
                let applied = try await newer.migrate(sets)
                #expect(applied.count == 1)

                // The old host still serves: its inserts and updates name only the columns it knows.
                let during = try await host.slash("freeze during the upgrade", as: "bob", in: "general")
                #expect(during?.text.hasPrefix("Freeze #2 is on") == true)
                let announcement = try #require(host.simulator.messages(in: "incidents").first)
                try await host.click("freeze.lift", as: "bob", channel: "incidents", messageTS: announcement.ts, value: "1")
                try await host.waitUntil("the old host lifts freeze #1") {
                    host.simulator.message(in: "incidents", ts: announcement.ts)?.text == "Deploy freeze lifted by <@U0BOB>."
                }

                // The new version's code reads the old host's rows and writes what only it knows.
                let storage = newer.storage(plugin: DeployFreeze.id)
                try await storage.transaction { tx in
                    try await tx.sql.raw("UPDATE freeze_freezes SET ticket = 'CHG-42' WHERE id = 2").run()
                    try await tx.sql.raw("INSERT INTO freeze_exemptions (freeze_id, service) VALUES (2, 'billing')").run()
                }
                let freezes = try await storage.read { sql in
                    try await sql.raw("SELECT id, reason, ticket FROM freeze_freezes ORDER BY id").all(decoding: Freeze.self)
                }
                #expect(freezes == [
                    Freeze(id: 1, reason: "before the upgrade", ticket: nil), Freeze(id: 2, reason: "during the upgrade", ticket: "CHG-42"),
                ])

                // And the old host keeps working on rows the new version changed.
                let after = try await host.slash("freeze after the upgrade", as: "alice", in: "general")
                #expect(after?.text.hasPrefix("Freeze #3 is on") == true)
                let trail = try await host.app.database.audit(plugin: DeployFreeze.id).entries(subject: "freeze-1").map(\.action)
                #expect(trail == ["freeze.started", "freeze.lifted"])
                #expect(try await newer.verifyAudit().isIntact)
            }

            // An old replica that starts now is refused, naming the versions, instead of running
            // code that does not know the schema: a rollout goes forward (or restores a backup).
            await #expect {
                try await Database.withDatabase(url: host.databaseURL, logger: TestDatabase.quietLogger) { older in
                    try await older.migrate([(plugin: DeployFreeze.id, migrations: DeployFreeze.migrations)])
                }
            } throws: { error in
                (error as? StoreError) == .schemaNewer(plugin: DeployFreeze.id, appliedVersion: 2, knownVersion: 1)
            }
        }
    }
}
