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
    /// Literature paths are relative to the directory of `plugins.yaml`.
    public struct Configuration: Decodable, Sendable, Equatable {
        /// Where every incident has its digest message (a channel id; posted with `chat:write.public`).
        public var digestChannel: String
        public var severities: SeverityScale
        public var roles: RoleBook
        /// The level an incident starts at when escalated.
        public var defaultSeverity: String
        /// Levels whose incidents get update reminders.
        public var remindSeverities: [String]
        public var firstReminder: ConfigDuration
        public var reminderInterval: ConfigDuration
        public var staleAfter: ConfigDuration
        /// Create `<case-channel>-rca` when an incident is resolved.
        public var rcaChannel: Bool
        /// The war-room checklist pinned on escalation; nil with `checklist: false`.
        public var checklist: Checklist?

        public static let defaultFirstReminder = ConfigDuration(.seconds(30 * 60))
        public static let defaultReminderInterval = ConfigDuration(.seconds(25 * 60))
        public static let defaultStaleAfter = ConfigDuration(.seconds(7 * 86_400))

        public init(
            digestChannel: String, severities: SeverityScale, roles: RoleBook, defaultSeverity: String? = nil,
            remindSeverities: [String]? = nil, firstReminder: ConfigDuration = Configuration.defaultFirstReminder,
            reminderInterval: ConfigDuration = Configuration.defaultReminderInterval,
            staleAfter: ConfigDuration = Configuration.defaultStaleAfter, rcaChannel: Bool = true, checklist: Checklist? = nil
        ) {
            self.digestChannel = digestChannel
            self.severities = severities
            self.roles = roles
            self.defaultSeverity = defaultSeverity ?? severities.lowest?.id ?? ""
            self.remindSeverities = remindSeverities ?? Array(severities.ids.prefix(2))
            self.firstReminder = firstReminder
            self.reminderInterval = reminderInterval
            self.staleAfter = staleAfter
            self.rcaChannel = rcaChannel
            self.checklist = checklist
        }

        enum CodingKeys: String, CodingKey {
            case digestChannel = "digest_channel"
            case severitiesFile = "severities_file"
            case rolesFile = "roles_file"
            case defaultSeverity = "default_severity"
            case remindSeverities = "remind_severities"
            case firstReminder = "first_reminder"
            case reminderInterval = "reminder_interval"
            case staleAfter = "stale_after"
            case rcaChannel = "rca_channel"
            case checklist
            case checklistFile = "checklist_file"
        }

        /// Hand-written: synthesized `Decodable` ignores defaults, and the levels named here must
        /// exist in the literature, which is read on the way.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let channel = try container.decode(String.self, forKey: .digestChannel).trimmingCharacters(in: .whitespaces)
            guard !channel.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .digestChannel, in: container, debugDescription: "is empty; set it to the channel id of the incident digest")
            }
            digestChannel = channel
            firstReminder = try Self.positive(container, .firstReminder, default: Self.defaultFirstReminder)
            reminderInterval = try Self.positive(container, .reminderInterval, default: Self.defaultReminderInterval)
            staleAfter = try Self.positive(container, .staleAfter, default: Self.defaultStaleAfter)
            rcaChannel = try container.decodeIfPresent(Bool.self, forKey: .rcaChannel) ?? true
            let namedDefault = try container.decodeIfPresent(String.self, forKey: .defaultSeverity)
            let namedReminders = try container.decodeIfPresent([String].self, forKey: .remindSeverities)

            severities = try container.decodeLiterature(SeverityScale.self, fileForKey: .severitiesFile)
                ?? decoder.literature(SeverityScale.self, builtIn: SeverityScale.builtInYAML, name: "built-in severities")
            roles = try container.decodeLiterature(RoleBook.self, fileForKey: .rolesFile)
                ?? decoder.literature(RoleBook.self, builtIn: RoleBook.builtInYAML, name: "built-in roles")

            checklist = try Self.checklist(container, decoder, levels: severities.ids)

            let known = severities.ids.joined(separator: ", ")
            if let namedDefault {
                guard let level = severities.level(namedDefault) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .defaultSeverity, in: container, debugDescription: "unknown severity '\(namedDefault)', expected one of \(known)")
                }
                defaultSeverity = level.id
            } else {
                defaultSeverity = severities.lowest?.id ?? ""
            }
            if let namedReminders {
                let scale = severities
                remindSeverities = try namedReminders.map { name in
                    guard let level = scale.level(name) else {
                        throw DecodingError.dataCorruptedError(
                            forKey: .remindSeverities, in: container, debugDescription: "unknown severity '\(name)', expected any of \(known)")
                    }
                    return level.id
                }
            } else {
                remindSeverities = Array(severities.ids.prefix(2))
            }
        }

        /// The checklist literature, unless `checklist: false`. A team's file is checked against the
        /// severity levels (named with its position); the built-in copy keeps the levels that exist.
        static func checklist(_ container: KeyedDecodingContainer<CodingKeys>, _ decoder: any Decoder, levels: [String]) throws -> Checklist? {
            guard try container.decodeIfPresent(Bool.self, forKey: .checklist) ?? true else {
                _ = try container.decodeIfPresent(String.self, forKey: .checklistFile)  // read, so it is not an unknown key
                return nil
            }
            let own = try Checklist.$knownSeverities.withValue(levels) {
                try container.decodeLiterature(Checklist.self, fileForKey: .checklistFile)
            }
            return try own ?? decoder.literature(Checklist.self, builtIn: Checklist.builtInYAML, name: "built-in checklist").keeping(severities: levels)
        }

        static func positive(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, default value: ConfigDuration) throws -> ConfigDuration {
            let duration = try container.decodeIfPresent(ConfigDuration.self, forKey: key) ?? value
            guard duration.duration > .zero else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be longer than 0s")
            }
            return duration
        }

        /// Whether incidents at `severity` get update reminders.
        public func reminds(_ severity: String) -> Bool { remindSeverities.contains(severity) }

        /// `SEV2`, or the id itself for a level no longer in the literature.
        public func severityName(_ id: String) -> String { severities.level(id)?.name ?? id.uppercased() }
    }
}
