import CasebookKit

/// What a postmortem says about a case, built only from what Casebook recorded: the case itself
/// (Cases plugin), the incident's severity, roles and RCA channel (the roles plugin, when enabled,
/// through ``PostmortemSources/incidentDetails``), and the audit timeline (status updates,
/// evidence links, every step). No message content is ever read: evidence is its permalink.
///
/// The sections people write afterwards (impact, root cause, actions) are present and empty.
/// Publishers (Confluence, Linear) render it with a ``PostmortemTemplate``; ``load(caseID:context:)``
/// builds it from any plugin's context, so a durable job can build it when it runs.
public struct PostmortemDocument: Sendable, Equatable, Codable {
    public var caseID: String
    public var title: String
    /// Where the case stands (`Resolved`, `Incident`…), in words.
    public var status: String
    public var openedAt: Date
    public var openedBy: Person
    public var escalatedAt: Date?
    public var resolvedAt: Date?
    public var resolvedBy: Person?
    /// Opening to escalation.
    public var timeToEscalate: TimeInterval?
    /// Escalation to resolution.
    public var timeToResolve: TimeInterval?
    /// Nil without the roles plugin.
    public var severity: Severity?
    public var commander: Person?
    /// Every role with a holder, in the role book's order (the commander's included); without the
    /// roles plugin, the commander alone.
    public var roles: [RoleHolder]
    public var updates: [StatusUpdate]
    public var evidence: [EvidenceLink]
    public var timeline: [TimelineEntry]
    public var caseChannel: ChannelLink
    public var rcaChannel: ChannelLink?
    /// No RCA channel yet, but the roles plugin opens one on resolve: a publisher may look again.
    public var rcaChannelExpected: Bool = false
    /// Filled in by people later; always empty here.
    public var impact: String
    public var rootCause: String
    public var actions: String

    public init(
        caseID: String, title: String, status: String, openedAt: Date, openedBy: Person, escalatedAt: Date? = nil, resolvedAt: Date? = nil,
        resolvedBy: Person? = nil, severity: Severity? = nil, commander: Person? = nil, roles: [RoleHolder] = [], updates: [StatusUpdate] = [],
        evidence: [EvidenceLink] = [], timeline: [TimelineEntry] = [], caseChannel: ChannelLink, rcaChannel: ChannelLink? = nil
    ) {
        self.caseID = caseID
        self.title = title
        self.status = status
        self.openedAt = openedAt
        self.openedBy = openedBy
        self.escalatedAt = escalatedAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.timeToEscalate = escalatedAt.map { $0.timeIntervalSince(openedAt) }
        self.timeToResolve = escalatedAt.flatMap { escalated in resolvedAt.map { $0.timeIntervalSince(escalated) } }
        self.severity = severity
        self.commander = commander
        self.roles = roles
        self.updates = updates
        self.evidence = evidence
        self.timeline = timeline
        self.caseChannel = caseChannel
        self.rcaChannel = rcaChannel
        self.impact = ""
        self.rootCause = ""
        self.actions = ""
    }

    /// The audit detail that holds an entry's own words for the timeline ("RCA page created: <link>").
    public static let timelineSummaryKey = "summary"

    /// The day the postmortem is about (`2026-12-06`, UTC): the resolution's, else the opening's.
    public var day: String { PostmortemFormat.day(resolvedAt ?? openedAt) }

    /// A Slack user as the postmortem shows them: their Slack name, never a guessed mention in
    /// another tool (incident-bot's `ri:userkey` bug).
    public struct Person: Sendable, Equatable, Codable {
        /// The Slack user id, or `casebook` for the system.
        public var id: String
        /// The Slack real name (display name when there is none); the id when Slack did not say.
        public var name: String
        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Severity: Sendable, Equatable, Codable {
        /// `sev1`
        public var id: String
        /// `SEV1`
        public var name: String
        /// The level's definition from the severity literature.
        public var definition: String
        public init(id: String, name: String, definition: String) {
            self.id = id
            self.name = name
            self.definition = definition
        }
    }

    public struct RoleHolder: Sendable, Equatable, Codable {
        /// `commander`
        public var role: String
        /// `Incident Commander`
        public var roleName: String
        public var person: Person
        public init(role: String, roleName: String, person: Person) {
            self.role = role
            self.roleName = roleName
            self.person = person
        }
    }

    /// A status update as posted with `/case update`.
    public struct StatusUpdate: Sendable, Equatable, Codable {
        public var at: Date
        public var author: Person
        public var impact: String
        public var components: String?
        public var text: String
        public init(at: Date, author: Person, impact: String, components: String?, text: String) {
            self.at = at
            self.author = author
            self.impact = impact
            self.components = components
            self.text = text
        }
    }

    /// A message pointed at as evidence: its permalink, never its text.
    public struct EvidenceLink: Sendable, Equatable, Codable {
        public var url: String
        public var addedAt: Date
        public var addedBy: Person
        public init(url: String, addedAt: Date, addedBy: Person) {
            self.url = url
            self.addedAt = addedAt
            self.addedBy = addedBy
        }
    }

    /// One step of the audit timeline, in words.
    public struct TimelineEntry: Sendable, Equatable, Codable {
        public var at: Date
        public var actor: Person
        public var text: String
        public init(at: Date, actor: Person, text: String) {
            self.at = at
            self.actor = actor
            self.text = text
        }
    }

    public struct ChannelLink: Sendable, Equatable, Codable {
        public var id: String
        /// The channel's name without `#`, when known.
        public var name: String?
        /// Opens the channel in Slack.
        public var url: String
        public init(id: String, name: String?, url: String) {
            self.id = id
            self.name = name
            self.url = url
        }

        /// `https://slack.com/app_redirect?team=T…&channel=C…`: opens the channel in the workspace
        /// without knowing its domain.
        public static func slack(id: String, name: String?, team: String) -> ChannelLink {
            ChannelLink(id: id, name: name, url: "https://slack.com/app_redirect?team=\(team)&channel=\(id)")
        }
    }
}

/// How postmortems write times and durations: UTC, for readers outside Slack.
public enum PostmortemFormat {
    /// `2026-12-06 14:05 UTC`
    public static func time(_ date: Date) -> String {
        let parts = date.formatted(minuteStyle)
        return "\(parts) UTC"
    }

    /// `2026-12-06`
    public static func day(_ date: Date) -> String {
        date.formatted(dayStyle)
    }

    /// `2h 15m`
    public static func duration(_ interval: TimeInterval) -> String { SlackText.duration(interval) }

    private static let dayStyle = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
    private static let minuteStyle = Date.VerbatimFormatStyle(
        format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
}
