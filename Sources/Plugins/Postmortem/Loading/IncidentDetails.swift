import CasebookKit

/// Where a postmortem's incident facts come from besides the Cases plugin.
///
/// This module depends on CasebookKit and CasesPlugin only, so it works with or without the roles
/// plugin: severity, roles and the RCA channel belong to the roles plugin, which answers
/// ``incidentDetails`` when it is enabled (`Sources/Plugins/Roles/Postmortem.swift`). Asking an
/// extension point nobody answers yields nothing, and the document then has no severity and only the
/// Cases commander. The dependency points from Roles to this module, never back, so a team without
/// roles builds postmortems all the same.
public enum PostmortemSources {
    /// The incident details of a case id: `[]` without the roles plugin, else `[details]`.
    public static let incidentDetails = ExtensionPoint<String, [IncidentDetails]>("postmortem.incident_details")
}

/// What the roles plugin knows about a case's incident, in the words of its literature.
public struct IncidentDetails: Sendable, Equatable {
    /// The level now, with its name and definition.
    public var severity: PostmortemDocument.Severity?
    /// Every role of the role book in its order, with the holder's Slack user id (nil when nobody
    /// holds it). The commander role's holder is the Cases commander.
    public var roles: [Role]
    /// The `<case-channel>-rca` channel, once created.
    public var rcaChannel: String?
    /// Whether an RCA channel is (or will be) opened for this incident on resolve, so a publisher
    /// that finds none yet knows to look again shortly.
    public var opensRCAChannel: Bool
    /// Names of every severity id and role id, for the timeline's words.
    public var severityNames: [String: String]

    public struct Role: Sendable, Equatable {
        public var id: String
        public var name: String
        public var holder: String?
        public init(id: String, name: String, holder: String?) {
            self.id = id
            self.name = name
            self.holder = holder
        }
    }

    public init(
        severity: PostmortemDocument.Severity?, roles: [Role], rcaChannel: String?, severityNames: [String: String] = [:], opensRCAChannel: Bool = false
    ) {
        self.severity = severity
        self.roles = roles
        self.rcaChannel = rcaChannel
        self.severityNames = severityNames
        self.opensRCAChannel = opensRCAChannel
    }
}
