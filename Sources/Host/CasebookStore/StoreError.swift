import CasebookKit
/// Failures of the durable store. Each description is one line meant for an operator: which database
/// (password masked) or which migration, and what went wrong.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case invalidURL(url: String, reason: String)
    case unreachable(url: String, reason: String)
    case migrationEdited(plugin: String, version: Int, name: String)
    case schemaNewer(plugin: String, appliedVersion: Int, knownVersion: Int)
    case invalidMigrationSet(plugin: String, reason: String)
    case jobConflict(id: Int64, reason: String)
    case eventsNotRouted(event: String)
    case eventsAlreadyRouted
    case tableOutsidePrefix(plugin: String, version: Int, migration: String, table: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid database URL '\(url)': \(reason)"
        case .unreachable(let url, let reason):
            return "cannot open database '\(url)': \(reason)"
        case .migrationEdited(let plugin, let version, let name):
            return "migration \(plugin)#\(version) '\(name)' was edited after it was applied; add a new migration instead of changing a shipped one"
        case .schemaNewer(let plugin, let applied, let known):
            return "the database has \(plugin) schema version \(applied) but this build knows only up to \(known); run a newer casebook or restore a matching backup"
        case .invalidMigrationSet(let plugin, let reason):
            return "migrations of \(plugin): \(reason)"
        case .jobConflict(let id, let reason):
            return "job \(id): \(reason)"
        case .eventsNotRouted(let event):
            return "event '\(event)' was published before the host routed events to their subscribers (Database.routeEvents)"
        case .eventsAlreadyRouted:
            return "events of this database are already routed for another set of plugins; a database routes for one registry"
        case .tableOutsidePrefix(let plugin, let version, let migration, let table):
            return "migration \(plugin)#\(version) '\(migration)' touches '\(table)', outside the plugin's prefix: "
                + "a plugin's migrations may only create, alter or drop tables and indexes named '\(plugin)_…'"
        }
    }
}
