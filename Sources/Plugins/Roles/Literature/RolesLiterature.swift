import CasebookKit

/// What the literature keys of `roles` name — `severities_file`, `roles_file`, `checklist` and
/// `checklist_file` — read together, because a team's checklist may only name the severities the
/// scale has, and its problems are placed in the checklist file itself.
public struct RolesLiterature: Decodable, Sendable, Equatable {
    public var severities: SeverityScale
    public var roles: RoleBook
    /// The war-room checklist pinned on escalation; nil with `checklist: false`.
    public var checklist: Checklist?

    /// The value `Configuration.defaults` holds; the host always reads ``Inline`` keys instead.
    static let unread = RolesLiterature(severities: SeverityScale(levels: []), roles: RoleBook(roles: []), checklist: nil)

    init(severities: SeverityScale, roles: RoleBook, checklist: Checklist?) {
        self.severities = severities
        self.roles = roles
        self.checklist = checklist
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: ConfigKey.self)
        severities = try container.decodeLiterature(SeverityScale.self, fileForKey: "severities_file")
            ?? decoder.literature(SeverityScale.self, builtIn: SeverityScale.builtInYAML, name: "built-in severities")
        roles = try container.decodeLiterature(RoleBook.self, fileForKey: "roles_file")
            ?? decoder.literature(RoleBook.self, builtIn: RoleBook.builtInYAML, name: "built-in roles")
        let checklistFileNamed = container.contains("checklist_file") // a known key even with the checklist off
        guard try container.decodeIfPresent(Bool.self, forKey: "checklist") ?? true else {
            checklist = nil
            return
        }
        // A team's file is checked against the levels (named with its position); the built-in copy
        // keeps the levels that exist.
        let levels = severities.ids
        let own = try checklistFileNamed ? Checklist.$knownSeverities.withValue(levels) {
            try container.decodeLiterature(Checklist.self, fileForKey: "checklist_file")
        } : nil
        checklist = try own ?? decoder.literature(Checklist.self, builtIn: Checklist.builtInYAML, name: "built-in checklist").keeping(severities: levels)
    }
}
