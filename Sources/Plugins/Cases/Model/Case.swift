import CasebookKit

/// An investigation with its own channel, which may be escalated to an incident.
///
/// "Not everything is an incident": a case starts as an investigation, is escalated only when it
/// is one, is resolved when service is restored, and closed when the follow-up is done. This is
/// also the snapshot carried by every event the plugin publishes, so it is `Codable`.
public struct Case: Sendable, Equatable, Codable, Identifiable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case investigating, escalated, resolved, closed

        /// Whether the case still has an open channel (anything but closed).
        public var isActive: Bool { self != .closed }

        /// Words for people, e.g. in `/case list`.
        public var label: String {
            switch self {
            case .investigating: return "Investigating"
            case .escalated: return "Incident"
            case .resolved: return "Resolved"
            case .closed: return "Closed"
            }
        }
    }

    public var id: String
    /// The channel name, e.g. `case-api-respons-a3f`.
    public var name: String
    public var title: String
    public var status: Status
    public var channelID: String
    public var openedBy: String
    public var openedAt: Date
    public var escalatedBy: String?
    public var escalatedAt: Date?
    /// The incident commander, set on escalation and changed by a transfer.
    public var commander: String?
    public var resolvedBy: String?
    public var resolvedAt: Date?
    public var closedBy: String?
    public var closedAt: Date?
    public var evidenceCount: Int
    /// The summary message in the case channel, updated in place as the case moves on.
    public var summary: MessageRef?
    /// The notification in `notifications_channel`, updated in place too.
    public var notification: MessageRef?
    /// Stored only when true, so event snapshots written before private cases existed still
    /// decode and a public case's snapshot is unchanged. Read ``isPrivate``.
    private var privateChannel: Bool?

    /// Opened with `/case open --private`: its channel is private and broadcast places never show
    /// its title (see ``publicTitle``).
    public var isPrivate: Bool {
        get { privateChannel ?? false }
        set { privateChannel = newValue ? true : nil }
    }

    public init(
        id: String, name: String, title: String, status: Status = .investigating, channelID: String,
        openedBy: String, openedAt: Date, escalatedBy: String? = nil, escalatedAt: Date? = nil,
        commander: String? = nil, resolvedBy: String? = nil, resolvedAt: Date? = nil,
        closedBy: String? = nil, closedAt: Date? = nil, evidenceCount: Int = 0,
        summary: MessageRef? = nil, notification: MessageRef? = nil, isPrivate: Bool = false
    ) {
        self.id = id
        self.name = name
        self.title = title
        self.status = status
        self.channelID = channelID
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.escalatedBy = escalatedBy
        self.escalatedAt = escalatedAt
        self.commander = commander
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
        self.closedBy = closedBy
        self.closedAt = closedAt
        self.evidenceCount = evidenceCount
        self.summary = summary
        self.notification = notification
        self.privateChannel = isPrivate ? true : nil
    }

    /// Whether the investigation was ever escalated to an incident.
    public var wasEscalated: Bool { escalatedAt != nil }

    /// Open time so far, or until closed.
    public func duration(now: Date) -> TimeInterval {
        (closedAt ?? now).timeIntervalSince(openedAt)
    }

    /// Escalation to resolution, when both happened.
    public var timeToResolve: TimeInterval? {
        guard let escalatedAt, let resolvedAt else { return nil }
        return resolvedAt.timeIntervalSince(escalatedAt)
    }
}
