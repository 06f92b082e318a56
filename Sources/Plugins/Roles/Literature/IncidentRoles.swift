import CasebookKit

/// The roles of an incident (literature: `templates/roles.yaml`). The role with id
/// ``IncidentRole/commanderID`` is the Cases plugin's incident commander.
public struct RoleBook: Decodable, Sendable, Equatable {
    public var roles: [IncidentRole]

    /// Each role takes two blocks on the control panel (50 per message).
    public static let maximumRoles = 12

    public init(roles: [IncidentRole]) {
        self.roles = roles
    }

    enum CodingKeys: String, CodingKey { case roles }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let roles = try container.decode([IncidentRole].self, forKey: .roles)
        guard !roles.isEmpty, roles.count <= Self.maximumRoles else {
            throw DecodingError.dataCorruptedError(
                forKey: .roles, in: container, debugDescription: "needs 1 to \(Self.maximumRoles) roles, found \(roles.count)")
        }
        try LiteratureRules.checkUnique(roles.map(\.id), at: container.codingPath + [CodingKeys.roles], what: "role")
        guard roles.contains(where: \.isCommander) else {
            throw DecodingError.dataCorruptedError(
                forKey: .roles, in: container,
                debugDescription: "has no role with id '\(IncidentRole.commanderID)'; it is the Cases plugin's incident commander and must be listed")
        }
        self.roles = roles
    }

    public var ids: [String] { roles.map(\.id) }

    public func role(_ id: String) -> IncidentRole? {
        let wanted = id.lowercased()
        return roles.first { $0.id == wanted }
    }

    public var commander: IncidentRole? { roles.first(where: \.isCommander) }

    /// Roles held in this plugin's own table (every role but the commander).
    public var assignable: [IncidentRole] { roles.filter { !$0.isCommander } }

    /// `commander|comms|tech_lead`, for usage lines.
    public var usage: String { ids.joined(separator: "|") }
}

public struct IncidentRole: Decodable, Sendable, Equatable {
    /// The id of the role that is the Cases plugin's incident commander.
    public static let commanderID = "commander"

    public var id: String
    public var name: String
    public var description: String
    public var duties: [String]
    /// Whether the holder is invited to the RCA channel when the incident is resolved.
    public var inviteToRCA: Bool

    public init(id: String, name: String, description: String, duties: [String] = [], inviteToRCA: Bool = false) {
        self.id = id
        self.name = name
        self.description = description
        self.duties = duties
        self.inviteToRCA = inviteToRCA
    }

    public var isCommander: Bool { id == Self.commanderID }

    enum CodingKeys: String, CodingKey {
        case id, name, description, duties
        case inviteToRCA = "invite_to_rca"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try LiteratureRules.identifier(container, .id)
        name = try LiteratureRules.text(container, .name, maximum: 60)
        description = try LiteratureRules.text(container, .description, maximum: 1_000)
        duties = try container.decodeIfPresent([String].self, forKey: .duties) ?? []
        inviteToRCA = try container.decodeIfPresent(Bool.self, forKey: .inviteToRCA) ?? false
    }

    /// What the holder is told in a direct message.
    public var briefing: String {
        var text = "*\(name)*: \(description)"
        if !duties.isEmpty { text += "\n" + duties.map { "• \($0)" }.joined(separator: "\n") }
        return text
    }
}
