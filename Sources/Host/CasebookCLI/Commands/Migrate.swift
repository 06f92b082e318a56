import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookStore

/// Applies the pending schema migrations of the host and the enabled plugins.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (serve does this at start-up too).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "List what would run without changing anything.")
    var dryRun = false

    func run() async throws {
        try await reportingFailures {
            try await global.withDatabase { database, configuration in
                let sets = configuration.plugins.map { (plugin: $0.id, migrations: $0.type.migrations) }
                let migrations = try await database.migrate(sets, dryRun: dryRun)
                if migrations.isEmpty {
                    Terminal.print("\(database.location): up to date")
                }
                for migration in migrations {
                    Terminal.print("\(dryRun ? "would apply" : "applied") \(migration)")
                }
            }
        }
    }
}
