import CasebookKit
import CasebookStore

/// Mounts the enabled plugins with no Slack and a throw-away in-memory database, to learn their
/// routes for `casebook manifest` and `casebook check-config` without connecting anywhere.
public enum OfflineRegistry {
    public static func mount(_ configuration: LoadedConfiguration, logger: Logger) async throws -> PluginRegistry {
        try await Database.withDatabase(url: "sqlite::memory:", logger: logger) { database in
            let mounting = PluginMounting(
                slashCommand: configuration.host.slashCommand, installation: Installation(teamID: "", botUserID: ""),
                clock: SystemClock(), logger: logger
            ) { _, _ in OfflineSlack() }
            return try await mounting.mount(configuration.plugins, stores: database)
        }
    }
}

/// A Slack that is not there: every call fails with `offline`.
struct OfflineSlack: SlackAPI {
    func call(_ method: String, _ arguments: [String: JSONValue]) async throws -> JSONValue {
        throw SlackAPIError(method: method, code: "offline")
    }
}
