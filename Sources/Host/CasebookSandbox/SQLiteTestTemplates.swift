import CasebookKit
import CasebookStore
import Foundation

/// Migrated in-memory SQLite databases, one per set of plugins, that in-process test hosts copy
/// instead of migrating a new database each: SQLite's backup API copies a few dozen pages, while
/// migrating parses every `CREATE` and re-reads the schema after each one, most of a test host's
/// boot. The templates stay open for the life of the test process.
actor SQLiteTestTemplates {
    static let shared = SQLiteTestTemplates()

    private var templates: [String: Database] = [:]
    /// Keys being migrated now, with the callers waiting for them.
    private var preparing: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Gives `database`, a new in-memory SQLite database, the tables and rows that the host's
    /// migrations and those of `plugins` would have left in it.
    static func fill(_ database: Database, plugins: [any Plugin.Type], logger: Logger) async throws {
        let template = try await shared.template(for: plugins, logger: logger)
        try await database.copyContents(of: template)
    }

    private func template(for plugins: [any Plugin.Type], logger: Logger) async throws -> Database {
        let key = SandboxDatabase.pluginSetKey(plugins)
        while preparing[key] != nil {
            await withCheckedContinuation { preparing[key, default: []].append($0) }
        }
        if let template = templates[key] { return template }
        preparing[key] = []
        defer {
            for waiter in preparing.removeValue(forKey: key) ?? [] { waiter.resume() }
        }
        let template = try await Database.open(url: "sqlite::memory:", logger: logger)
        do {
            try await template.migrate(plugins.map { (plugin: $0.id, migrations: $0.migrations) })
        } catch {
            try? await template.close()
            throw error
        }
        templates[key] = template
        return template
    }
}
