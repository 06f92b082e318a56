import CasebookKit

/// Every plugin owns the tables and indexes named `<plugin id>_…` and no others, so two plugins
/// cannot collide and none can reach into another's (or the host's `casebook_…`) schema. The
/// migrator checks each pending migration before it applies anything.
enum TablePrefix {
    static func prefix(of plugin: String) -> String { plugin.lowercased() + "_" }

    /// Throws ``StoreError/tableOutsidePrefix(plugin:version:migration:table:)`` for the first table,
    /// index, view or trigger `migration` creates, alters or drops outside `plugin`'s prefix.
    static func check(_ migration: Migration, plugin: String) throws {
        let prefix = prefix(of: plugin)
        for statement in migration.statements {
            for name in SchemaNames.touched(by: statement) where !name.lowercased().hasPrefix(prefix) {
                throw StoreError.tableOutsidePrefix(plugin: plugin, version: migration.version, migration: migration.name, table: name)
            }
        }
    }
}
