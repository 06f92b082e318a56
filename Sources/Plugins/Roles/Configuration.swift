import CasebookKit

extension RolesPlugin {
    /// The `roles` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// roles:
    ///   enabled: true
    ///   config:
    ///     digest_channel: C0INCIDENTS          # required
    ///     severities_file: templates/severities.yaml   # optional; built-in levels otherwise
    ///     roles_file: templates/roles.yaml             # optional; built-in roles otherwise
    ///     default_severity: sev4               # default: the least severe level
    ///     remind_severities: [sev1, sev2]      # default: the two most severe levels
    ///     first_reminder: 30m
    ///     reminder_interval: 25m
    ///     stale_after: 7d
    ///     rca_channel: true
    ///     checklist: true                      # default true; false posts no checklist
    ///     checklist_file: templates/checklist.yaml     # optional; built-in checklist otherwise
    /// ```
    ///
    /// Literature paths are relative to the directory of `plugins.yaml`. The keys are declared in
    /// ``Settings`` and read through it (`configuration.firstReminder`); what they name — the
    /// literature, and the levels checked against it — is read here, while decoding, so a bad file
    /// or an unknown level is a configuration problem placed at its key.
    @dynamicMemberLookup
    public struct Configuration: Decodable, Sendable, Equatable {
        /// The keys as written.
        public struct Settings: PluginConfiguration, Equatable {
            /// Where every incident has its digest message (a channel id; posted with `chat:write.public`).
            @Required public var digestChannel: String
            public var severitiesFile: String?
            public var rolesFile: String?
            public var defaultSeverity: String?
            public var remindSeverities: [String]?
            public var firstReminder = ConfigDuration(.seconds(30 * 60))
            public var reminderInterval = ConfigDuration(.seconds(25 * 60))
            public var staleAfter = ConfigDuration(.seconds(7 * 86_400))
            /// Create `<case-channel>-rca` when an incident is resolved.
            public var rcaChannel = true
            /// Pin the war-room checklist on escalation.
            public var checklist = true
            public var checklistFile: String?

            public static let defaults = Settings(digestChannel: "")

            public mutating func validate() throws {
                guard !digestChannel.isEmpty else {
                    throw ConfigurationError("digestChannel", "is empty; set it to the channel id of the incident digest")
                }
                for (key, duration) in [("firstReminder", firstReminder), ("reminderInterval", reminderInterval), ("staleAfter", staleAfter)]
                where duration.duration <= .zero {
                    throw ConfigurationError(key, "must be longer than 0s")
                }
            }
        }

        public var settings: Settings
        public var severities: SeverityScale
        public var roles: RoleBook
        /// The level an incident starts at when escalated (`default_severity`, else the least severe).
        public var defaultSeverity: String
        /// Levels whose incidents get update reminders (`remind_severities`, else the two most severe).
        public var remindSeverities: [String]
        /// The war-room checklist pinned on escalation; nil with `checklist: false`.
        public var checklist: Checklist?

        public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Settings, Value>) -> Value {
            get { settings[keyPath: keyPath] }
            set { settings[keyPath: keyPath] = newValue }
        }

        public init(from decoder: any Decoder) throws {
            settings = try decoder.singleValueContainer().decode(Settings.self)
            let container = try decoder.container(keyedBy: ConfigKey.self)
            severities = try container.decodeLiterature(SeverityScale.self, fileForKey: "severities_file")
                ?? decoder.literature(SeverityScale.self, builtIn: SeverityScale.builtInYAML, name: "built-in severities")
            roles = try container.decodeLiterature(RoleBook.self, fileForKey: "roles_file")
                ?? decoder.literature(RoleBook.self, builtIn: RoleBook.builtInYAML, name: "built-in roles")
            checklist = try Self.checklist(settings.checklist, container, decoder, levels: severities.ids)

            let scale = severities
            func level(_ name: String, _ key: ConfigKey, _ expected: String) throws -> String {
                guard let level = scale.level(name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container, debugDescription: "unknown severity '\(name)', expected \(expected) \(scale.ids.joined(separator: ", "))")
                }
                return level.id
            }
            defaultSeverity = try settings.defaultSeverity.map { try level($0, "default_severity", "one of") } ?? severities.lowest?.id ?? ""
            remindSeverities = try settings.remindSeverities?.map { try level($0, "remind_severities", "any of") } ?? Array(severities.ids.prefix(2))
        }

        /// The checklist literature, unless `checklist: false`. A team's file is checked against the
        /// severity levels (named with its position); the built-in copy keeps the levels that exist.
        static func checklist(_ on: Bool, _ container: KeyedDecodingContainer<ConfigKey>, _ decoder: any Decoder, levels: [String]) throws -> Checklist? {
            guard on else { return nil }
            let own = try Checklist.$knownSeverities.withValue(levels) {
                try container.decodeLiterature(Checklist.self, fileForKey: "checklist_file")
            }
            return try own ?? decoder.literature(Checklist.self, builtIn: Checklist.builtInYAML, name: "built-in checklist").keeping(severities: levels)
        }

        /// Whether incidents at `severity` get update reminders.
        public func reminds(_ severity: String) -> Bool { remindSeverities.contains(severity) }

        /// `SEV2`, or the id itself for a level no longer in the literature.
        public func severityName(_ id: String) -> String { severities.level(id)?.name ?? id.uppercased() }
    }
}
