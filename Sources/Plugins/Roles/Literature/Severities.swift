import CasebookKit

/// The severity levels a team uses, most severe first (literature: `templates/severities.yaml`).
public struct SeverityScale: Decodable, Sendable, Equatable {
    public var levels: [SeverityLevel]

    /// Block Kit allows 100 options per select; a scale longer than this is no longer a scale.
    public static let maximumLevels = 20

    public init(levels: [SeverityLevel]) {
        self.levels = levels
    }

    enum CodingKeys: String, CodingKey { case levels }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let levels = try container.decode([SeverityLevel].self, forKey: .levels)
        guard !levels.isEmpty, levels.count <= Self.maximumLevels else {
            throw DecodingError.dataCorruptedError(
                forKey: .levels, in: container, debugDescription: "needs 1 to \(Self.maximumLevels) levels, found \(levels.count)")
        }
        try LiteratureRules.checkUnique(levels.map(\.id), at: container.codingPath + [CodingKeys.levels], what: "severity")
        self.levels = levels
    }

    public var ids: [String] { levels.map(\.id) }

    public func level(_ id: String) -> SeverityLevel? {
        let wanted = id.lowercased()
        return levels.first { $0.id == wanted }
    }

    /// The least severe level: the default of `default_severity`.
    public var lowest: SeverityLevel? { levels.last }

    /// Position in the scale, 0 for the most severe.
    public func rank(_ id: String) -> Int? { levels.firstIndex { $0.id == id } }

    /// `sev1|sev2|sev3|sev4`, for usage lines.
    public var usage: String { ids.joined(separator: "|") }
}

public struct SeverityLevel: Decodable, Sendable, Equatable {
    /// What people type (`sev2`).
    public var id: String
    /// How the level is shown (`SEV2`).
    public var name: String
    public var description: String

    public init(id: String, name: String, description: String) {
        self.id = id
        self.name = name
        self.description = description
    }

    enum CodingKeys: String, CodingKey { case id, name, description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try LiteratureRules.identifier(container, .id)
        name = try LiteratureRules.text(container, .name, maximum: 60)
        description = try LiteratureRules.text(container, .description, maximum: 1_000)
    }
}
