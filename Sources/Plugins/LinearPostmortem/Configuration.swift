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
    public struct Configuration: PluginConfiguration, Equatable {
        /// A personal API key, sent as `Authorization: <key>` (no `Bearer`, per Linear); never logged.
        @Required public var apiKey: String
        /// The UUID of the team the postmortem issues belong to.
        @Required public var teamID: String
        /// The UUID of a project to file them in; nil for none.
        public var projectID: String?
        /// The GraphQL endpoint.
        public var apiURL = Configuration.defaultAPIURL
        /// Label UUIDs put on every postmortem issue.
        @CommaList public var labelIDs: [String] = []
        /// Casebook severity → Linear priority (0 none, 1 urgent, 2 high, 3 medium, 4 low); a
        /// file's map is laid over the default one.
        public var priorityMap = Configuration.defaultPriorityMap
        /// The issue is due this long after the resolution; nil for no due date.
        public var dueIn: ConfigDuration?
        /// The Markdown template of the description (Mustache placeholders, values escaped for Markdown).
        @ReadWith<TemplateFile> public var template: PostmortemTemplate? = nil
        /// Create the issue when an incident is resolved (else only on `/case postmortem`).
        public var onResolve = true

        public static let defaultAPIURL = "https://api.linear.app/graphql"
        public static let defaultPriorityMap = ["sev1": 1, "sev2": 2, "sev3": 3, "sev4": 4]
        public static let defaults = Configuration(apiKey: "", teamID: "")

        /// The template issues are written with: the team's file, else the built-in one (parsed
        /// here, so a broken built-in is an error when the plugin starts, not a crash).
        public func resolvedTemplate() throws -> PostmortemTemplate {
            try template ?? PostmortemTemplate(LinearTemplate.builtIn, name: LinearTemplate.name, escaping: .markdown)
        }

        /// `template:` names a Markdown file; its values are escaped for Markdown.
        public enum TemplateFile: PostmortemTemplateFile {
            public static let escaping = PostmortemTemplate.Escaping.markdown
        }

        public init(
            apiKey: String, teamID: String, projectID: String? = nil, apiURL: String = Configuration.defaultAPIURL, labelIDs: [String] = [],
            priorityMap: [String: Int] = Configuration.defaultPriorityMap, dueIn: ConfigDuration? = nil,
            template: PostmortemTemplate? = nil, onResolve: Bool = true
        ) {
            self.apiKey = apiKey
            self.teamID = teamID
            self.projectID = projectID
            self.apiURL = apiURL
            self.labelIDs = labelIDs
            self.priorityMap = priorityMap
            self.dueIn = dueIn
            self.template = template
            self.onResolve = onResolve
        }

        // Errors never echo the key: they say what is wrong with it.
        public mutating func validate() throws {
            guard !apiKey.isEmpty, !apiKey.contains(" ") else {
                throw ConfigurationError(
                    "apiKey", "must be a Linear personal API key (lin_api_…): one word, without 'Bearer' (this value has \(apiKey.count) characters)")
            }
            teamID = try Self.uuid(teamID, "teamID", what: "the team's UUID")
            projectID = try projectID.map { try Self.uuid($0, "projectID", what: "a project's UUID") }
            apiURL = try ServiceURL.checked(apiURL, key: "apiURL")
            for label in labelIDs where !Self.isUUID(label) {
                throw ConfigurationError("labelIDs", "must list label UUIDs; '\(label)' is not one (a label's name does not work)")
            }
            for (severity, priority) in priorityMap.sorted(by: { $0.key < $1.key }) where !(0...4).contains(priority) {
                throw ConfigurationError(
                    "priorityMap", "maps '\(severity)' to \(priority); Linear's priorities are 0 (none), 1 (urgent), 2 (high), 3 (medium) and 4 (low)")
            }
            priorityMap = Self.defaultPriorityMap.merging(priorityMap) { $1 }
            if let dueIn, dueIn.duration <= .zero {
                throw ConfigurationError("dueIn", "must be longer than 0s, e.g. 5d")
            }
        }

        /// Linear's priority for a Casebook severity; 0 (no priority) without one.
        public func priority(for severity: String?) -> Int {
            severity.flatMap { priorityMap[$0] } ?? 0
        }

        /// A team key such as `ENG` is what people know; the API wants the UUID, so say how to find it.
        private static func uuid(_ value: String, _ key: String, what: String) throws -> String {
            guard !isUUID(value) else { return value.lowercased() }
            let looksLikeKey = !value.isEmpty && value.count <= 7 && value.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
            throw ConfigurationError(
                key,
                key == "teamID" && looksLikeKey
                    ? "looks like a team's key (the letters in its issue identifiers), but Linear needs the team's UUID (e.g. 6f1c2a4e-9b1d-4c7e-8a3f-2d5e7b9c1a01): copy it from the team's settings or ask the API with `query { teams { nodes { id key } } }`"
                    : "must be \(what) (8-4-4-4-12 hexadecimal digits), found '\(value)'")
        }

        static func isUUID(_ text: String) -> Bool {
            let groups = text.split(separator: "-", omittingEmptySubsequences: false)
            return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
        }
    }
}
