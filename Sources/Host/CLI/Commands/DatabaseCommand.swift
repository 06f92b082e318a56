import CasebookHost
import CasebookKit
import CasebookStore

extension GlobalOptions {
    /// Opens `DATABASE_URL` for an operator command, with its services running, and closes it after.
    func withDatabase<T: Sendable>(_ body: (Database, LoadedConfiguration) async throws -> T) async throws -> T {
        let environment = try environment()
        LoggingSetup.bootstrap(environment)
        let configuration = try loadConfiguration(environment)
        var logger = Logger(label: "casebook")
        logger.logLevel = min(environment.logLevel, .warning)
        return try await Database.withDatabase(url: environment.databaseURL, logger: logger) { database in
            try await body(database, configuration)
        }
    }
}
