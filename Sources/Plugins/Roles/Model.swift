import CasebookKit

/// Where an incident stands, as responders say it. Separate from the case's own status: a case is
/// an incident from escalation until resolution, and this says how far the response has come.
public enum IncidentStatus: String, Sendable, Codable, CaseIterable {
    case investigating, identified, monitoring, resolved

    public var label: String {
        switch self {
        case .investigating: return "Investigating"
        case .identified: return "Identified"
        case .monitoring: return "Monitoring"
        case .resolved: return "Resolved"
        }
    }

    public var emoji: String {
        switch self {
        case .investigating: return "🔍"
        case .identified: return "🎯"
        case .monitoring: return "👀"
        case .resolved: return "✅"
        }
    }

    public static var usage: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// This plugin's state of one incident (the case itself belongs to the Cases plugin).
public struct Incident: Sendable, Equatable {
    public var caseID: String
    public var channelID: String
    public var severity: String
    public var status: IncidentStatus
    /// The pinned control panel in the case channel.
    public var panel: MessageRef?
    /// The incident's message in the digest channel.
    public var digest: MessageRef?
    public var createdAt: Date
    public var lastUpdate: PostedUpdate?
    /// Reminders are paused: until `silencedUntil`, or (when nil) until the severity changes or an update is posted.
    public var silenced: Bool
    public var silencedUntil: Date?
    /// When the pending reminder job is due; nil when none is scheduled.
    public var nextReminderAt: Date?
    public var rcaChannel: String?
    /// Holders of the roles kept by this plugin (every role but the commander): role id → user id.
    public var assignments: [String: String]

    public init(
        caseID: String, channelID: String, severity: String, status: IncidentStatus = .investigating, panel: MessageRef? = nil,
        digest: MessageRef? = nil, createdAt: Date, lastUpdate: PostedUpdate? = nil, silenced: Bool = false,
        silencedUntil: Date? = nil, nextReminderAt: Date? = nil, rcaChannel: String? = nil, assignments: [String: String] = [:]
    ) {
        self.caseID = caseID
        self.channelID = channelID
        self.severity = severity
        self.status = status
        self.panel = panel
        self.digest = digest
        self.createdAt = createdAt
        self.lastUpdate = lastUpdate
        self.silenced = silenced
        self.silencedUntil = silencedUntil
        self.nextReminderAt = nextReminderAt
        self.rcaChannel = rcaChannel
        self.assignments = assignments
    }
}

/// A status update for people outside the incident.
public struct PostedUpdate: Sendable, Equatable, Codable {
    public var author: String
    public var at: Date
    public var impact: String
    public var components: String?
    public var text: String

    public init(author: String, at: Date, impact: String, components: String?, text: String) {
        self.author = author
        self.at = at
        self.impact = impact
        self.components = components
        self.text = text
    }
}
