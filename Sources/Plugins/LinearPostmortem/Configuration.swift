import CasebookKit
import Postmortem

extension LinearPostmortemPlugin {
    /// The `linear` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// linear:
    ///   enabled: auto                       # on when api_key and team_id are set
    ///   config:
    ///     api_key: ${LINEAR_API_KEY}
    ///     team_id: ${LINEAR_TEAM_ID}
    ///     project_id: ${LINEAR_PROJECT_ID:-}
    /// ```
    public struct Configuration: Decodable, Sendable, Equatable {
        /// A personal API key, sent as `Authorization: <key>` (no `Bearer`, per Linear); never logged.
        public var apiKey: String
        /// The UUID of the team the postmortem issues belong to.
        public var teamID: String
        /// The UUID of a project to file them in; nil for none.
        public var projectID: String?
        /// The GraphQL endpoint.
        public var apiURL: String
        /// Label UUIDs put on every postmortem issue.
        public var labelIDs: [String]
        /// Casebook severity → Linear priority (0 none, 1 urgent, 2 high, 3 medium, 4 low).
        public var priorityMap: [String: Int]
        /// The issue is due this long after the resolution; nil for no due date.
        public var dueIn: ConfigDuration?
        /// The Markdown template of the description (Mustache placeholders, values escaped for Markdown).
        public var template: PostmortemTemplate
        /// Create the issue when an incident is resolved (else only on `/case postmortem`).
        public var onResolve: Bool

        public static let defaultAPIURL = "https://api.linear.app/graphql"
        public static let defaultPriorityMap = ["sev1": 1, "sev2": 2, "sev3": 3, "sev4": 4]

        public init(
            apiKey: String, teamID: String, projectID: String? = nil, apiURL: String = Configuration.defaultAPIURL, labelIDs: [String] = [],
            priorityMap: [String: Int] = Configuration.defaultPriorityMap, dueIn: ConfigDuration? = nil,
            template: PostmortemTemplate? = nil, onResolve: Bool = true
        ) throws {
            self.apiKey = apiKey
            self.teamID = teamID
            self.projectID = projectID
            self.apiURL = apiURL
            self.labelIDs = labelIDs
            self.priorityMap = priorityMap
            self.dueIn = dueIn
            self.template = try template ?? LinearTemplate.parsed
            self.onResolve = onResolve
        }

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key", teamID = "team_id", projectID = "project_id", apiURL = "api_url", labelIDs = "label_ids"
            case priorityMap = "priority_map", dueIn = "due_in", template, onResolve = "on_resolve"
        }

        // Hand-written because synthesized Decodable ignores property defaults. Errors never echo
        // the key: they say what is wrong with it.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let key = try container.decode(String.self, forKey: .apiKey).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .apiKey, in: container,
                    debugDescription: "must be a Linear personal API key (lin_api_…): one word, without 'Bearer' (this value has \(key.count) characters)")
            }
            apiKey = key
            teamID = try Self.uuid(container, .teamID, what: "the team's UUID")
            projectID = try Self.optionalUUID(container, .projectID, what: "a project's UUID")
            apiURL = try container.decodeServiceURL(forKey: .apiURL, default: Self.defaultAPIURL) ?? Self.defaultAPIURL
            labelIDs = try container.decodeList(forKey: .labelIDs) ?? []
            for label in labelIDs where !Self.isUUID(label) {
                throw DecodingError.dataCorruptedError(
                    forKey: .labelIDs, in: container, debugDescription: "must list label UUIDs; '\(label)' is not one (a label's name does not work)")
            }
            var map = Self.defaultPriorityMap
            for (severity, priority) in try container.decodeIfPresent([String: Int].self, forKey: .priorityMap) ?? [:] {
                guard (0...4).contains(priority) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .priorityMap, in: container,
                        debugDescription: "maps '\(severity)' to \(priority); Linear's priorities are 0 (none), 1 (urgent), 2 (high), 3 (medium) and 4 (low)")
                }
                map[severity] = priority
            }
            priorityMap = map
            dueIn = try container.decodeIfPresent(ConfigDuration.self, forKey: .dueIn)
            if let dueIn, dueIn.duration <= .zero {
                throw DecodingError.dataCorruptedError(forKey: .dueIn, in: container, debugDescription: "must be longer than 0s, e.g. 5d")
            }
            template = try container.decodePostmortemTemplate(
                forKey: .template, builtIn: LinearTemplate.builtIn, builtInName: LinearTemplate.name, escaping: .markdown)
            onResolve = try container.decodeIfPresent(Bool.self, forKey: .onResolve) ?? true
        }

        /// Linear's priority for a Casebook severity; 0 (no priority) without one.
        public func priority(for severity: String?) -> Int {
            severity.flatMap { priorityMap[$0] } ?? 0
        }

        private static func uuid(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, what: String) throws -> String {
            let value = try container.decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
            guard isUUID(value) else { throw notUUID(value, container, key, what: what) }
            return value.lowercased()
        }

        private static func optionalUUID(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, what: String) throws -> String? {
            let value = try container.decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !value.isEmpty else { return nil }
            guard isUUID(value) else { throw notUUID(value, container, key, what: what) }
            return value.lowercased()
        }

        /// A team key such as `ENG` is what people know; the API wants the UUID, so say how to find it.
        private static func notUUID(_ value: String, _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, what: String) -> DecodingError {
            let looksLikeKey = !value.isEmpty && value.count <= 7 && value.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
            let message = key == .teamID && looksLikeKey
                ? "looks like a team's key (the letters in its issue identifiers), but Linear needs the team's UUID (e.g. 6f1c2a4e-9b1d-4c7e-8a3f-2d5e7b9c1a01): copy it from the team's settings or ask the API with `query { teams { nodes { id key } } }`"
                : "must be \(what) (8-4-4-4-12 hexadecimal digits), found '\(value)'"
            return DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }

        static func isUUID(_ text: String) -> Bool {
            let groups = text.split(separator: "-", omittingEmptySubsequences: false)
            return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
        }
    }
}
