import CasebookHost
import CasebookKit
import CasebookStore

extension GlobalOptions {
    /// Opens `DATABASE_URL` for an operator command, with its services running, and closes it after.
    ///
    /// An operator command (a migration job in a deploy pipeline, `jobs`, `audit`, `export`) needs
    /// only `DATABASE_URL` and plugins.yaml: it reads which plugins are enabled and their
    /// migrations, never a channel id, so a required `${VAR}` that is not set is filled with a
    /// placeholder as `manifest` does. `serve` and `check-config` still refuse a missing variable.
    func withDatabase<T: Sendable>(_ body: (Database, LoadedConfiguration) async throws -> T) async throws -> T {
        let environment = try environment()
        LoggingSetup.bootstrap(environment)
        let configuration = try loadConfiguration(environment, placeholders: true)
        var logger = Logger(label: "casebook")
        logger.logLevel = min(environment.logLevel, .warning)
        return try await Database.withDatabase(url: environment.databaseURL, logger: logger) { database in
            try await body(database, configuration)
        }
    }
}
