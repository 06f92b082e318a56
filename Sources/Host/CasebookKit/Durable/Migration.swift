/// One step of a plugin's schema. Migrations run in order at start-up, each in a transaction, and
/// are recorded per plugin with a checksum of their SQL so an edited migration is detected.
public struct Migration: Sendable {
    /// 1, 2, 3… in order; never reuse or renumber a version that has shipped.
    public var version: Int
    public var name: String
    /// Statements to run. Use portable SQL (SQLite and PostgreSQL). Every table and index they create,
    /// alter or drop is named `<plugin id>_…`; the migrator refuses a pending migration that reaches outside.
    public var statements: [String]

    public init(_ version: Int, _ name: String, _ statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
