import CasebookKit

// The domain events of the incident response, for integration plugins (PagerDuty, Statuspage…).
// Each is published in the transaction of the change it reports and delivered at least once:
// subscribers key their work on `caseID` plus the event's content to stay idempotent.

/// The severity of an incident changed (`from` is nil when the incident was escalated at its default).
public struct SeverityChanged: DomainEvent, Equatable {
    public static let name = "roles.severity_changed"
    public var caseID: String
    public var channelID: String
    public var from: String?
    public var to: String
    public var actor: String
    public init(caseID: String, channelID: String, from: String?, to: String, actor: String) {
        self.caseID = caseID
        self.channelID = channelID
        self.from = from
        self.to = to
        self.actor = actor
    }
}

/// The incident moved along investigating → identified → monitoring → resolved.
public struct IncidentStatusChanged: DomainEvent, Equatable {
    public static let name = "roles.status_changed"
    public var caseID: String
    public var channelID: String
    public var from: IncidentStatus
    public var to: IncidentStatus
    public var actor: String
    public init(caseID: String, channelID: String, from: IncidentStatus, to: IncidentStatus, actor: String) {
        self.caseID = caseID
        self.channelID = channelID
        self.from = from
        self.to = to
        self.actor = actor
    }
}

/// Someone took a role (the commander role included, whichever way command changed hands).
public struct RoleAssigned: DomainEvent, Equatable {
    public static let name = "roles.role_assigned"
    public var caseID: String
    public var channelID: String
    public var role: String
    public var user: String
    public var previous: String?
    public var actor: String
    public init(caseID: String, channelID: String, role: String, user: String, previous: String?, actor: String) {
        self.caseID = caseID
        self.channelID = channelID
        self.role = role
        self.user = user
        self.previous = previous
        self.actor = actor
    }
}

/// A status update was posted for people outside the incident.
public struct UpdatePosted: DomainEvent, Equatable {
    public static let name = "roles.update_posted"
    public var caseID: String
    public var channelID: String
    public var severity: String
    public var status: IncidentStatus
    public var update: PostedUpdate
    public init(caseID: String, channelID: String, severity: String, status: IncidentStatus, update: PostedUpdate) {
        self.caseID = caseID
        self.channelID = channelID
        self.severity = severity
        self.status = status
        self.update = update
    }
}
