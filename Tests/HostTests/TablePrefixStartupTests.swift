import CasebookHost
import CasebookKit
import CasebookTesting
import Testing

/// A plugin whose migration creates a table outside its `<plugin id>_` prefix.
private struct SloppyPlugin: StatelessPlugin {
    static let id = "sloppy"
    static let migrations = [
        Migration(1, "notes", ["CREATE TABLE sloppy_notes (id TEXT PRIMARY KEY)"]),
        Migration(2, "shared tags", ["CREATE TABLE tags (id TEXT PRIMARY KEY)", "CREATE INDEX sloppy_tags ON tags (id)"]),
    ]
    func register(_ routes: inout Routes<Self>) {}
}

@Suite("Table prefix at start-up")
struct TablePrefixStartupTests {
    @Test func aPluginMigrationOutsideItsPrefixStopsStartUpNamingPluginMigrationAndTable() async throws {
        let error = try await #require(throws: StoreError.self) {
            try await TestHost.withRunning(plugins: [SloppyPlugin.self], config: "plugins:\n  sloppy: { enabled: true }\n") { _ in }
        }
        #expect(error == .tableOutsidePrefix(plugin: "sloppy", version: 2, migration: "shared tags", table: "tags"))
        #expect(error.description.hasPrefix("migration sloppy#2 'shared tags' touches 'tags', outside the plugin's prefix"))
    }
}
