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
    /// Literature paths are relative to the directory of `plugins.yaml`. The literature keys are
    /// read together by ``RolesLiterature`` (a bad file is a problem placed in it or at its key);
    /// `validate()` resolves the levels named here against the scale.
    @dynamicMemberLookup
    public struct Configuration: PluginConfiguration, Equatable {
        /// Where every incident has its digest message (a channel id; posted with `chat:write.public`).
        @Required public var digestChannel: String
        /// The level an incident starts at when escalated; the least severe when left out.
        public var defaultSeverity = ""
        /// Levels whose incidents get update reminders; the two most severe when left out.
        public var remindSeverities: [String]?
        public var firstReminder = ConfigDuration(.seconds(30 * 60))
        public var reminderInterval = ConfigDuration(.seconds(25 * 60))
        public var staleAfter = ConfigDuration(.seconds(7 * 86_400))
        /// Create `<case-channel>-rca` when an incident is resolved.
        public var rcaChannel = true
        /// `severities_file`, `roles_file`, `checklist`, `checklist_file`.
        @Inline public var literature = RolesLiterature.unread

        public static let defaults = Configuration(digestChannel: "")

        public mutating func validate() throws {
            guard !digestChannel.isEmpty else {
                throw ConfigurationError("digestChannel", "is empty; set it to the channel id of the incident digest")
            }
            for (key, duration) in [("firstReminder", firstReminder), ("reminderInterval", reminderInterval), ("staleAfter", staleAfter)]
            where duration.duration <= .zero {
                throw ConfigurationError(key, "must be longer than 0s")
            }
            let scale = literature.severities
            func level(_ name: String, _ key: String, _ expected: String) throws -> String {
                guard let level = scale.level(name) else {
                    throw ConfigurationError(key, "unknown severity '\(name)', expected \(expected) \(scale.ids.joined(separator: ", "))")
                }
                return level.id
            }
            defaultSeverity = defaultSeverity.isEmpty ? scale.lowest?.id ?? "" : try level(defaultSeverity, "defaultSeverity", "one of")
            remindSeverities = try remindSeverities?.map { try level($0, "remindSeverities", "any of") } ?? Array(scale.ids.prefix(2))
        }

        public subscript<Value>(dynamicMember keyPath: KeyPath<RolesLiterature, Value>) -> Value {
            literature[keyPath: keyPath]
        }

        /// Whether incidents at `severity` get update reminders.
        public func reminds(_ severity: String) -> Bool { remindSeverities?.contains(severity) == true }

        /// `SEV2`, or the id itself for a level no longer in the literature.
        public func severityName(_ id: String) -> String { literature.severities.level(id)?.name ?? id.uppercased() }
    }
}
