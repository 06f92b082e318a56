import CasebookKit

/// What a provider's status host said, reduced to what a snapshot shows and the watch compares.
public struct ProviderStatus: Sendable, Equatable, Codable {
    /// Statuspage's overall indicator; `degraded` stands for a value we do not know (treated as bad).
    public enum Indicator: String, Sendable, Codable, Comparable {
        case none, maintenance, minor, degraded, major, critical

        /// Tolerant: `maintenance` and values we have never seen are accepted.
        public init(statuspage value: String) {
            self = Indicator(rawValue: value.lowercased()) ?? .degraded
        }

        var rank: Int { [.none, .maintenance, .minor, .degraded, .major, .critical].firstIndex(of: self) ?? 3 }
        public static func < (lhs: Indicator, rhs: Indicator) -> Bool { lhs.rank < rhs.rank }

        var emoji: String {
            switch self {
            case .none: "🟢"
            case .maintenance: "🔧"
            case .minor, .degraded: "🟡"
            case .major: "🟠"
            case .critical: "🔴"
            }
        }
    }

    /// A component that is not operational.
    public struct Component: Sendable, Equatable, Codable {
        public var name: String
        /// `partial_outage` and the like, or the provider's own word.
        public var status: String
    }

    /// An unresolved incident or an active maintenance, with its latest update.
    public struct Incident: Sendable, Equatable, Codable {
        public var id: String
        public var name: String
        public var status: String
        public var impact: String?
        public var link: String?
        public var latestUpdate: String?
        /// When the latest update was written, as the provider wrote it (ISO 8601).
        public var updatedAt: String?
        /// Statuspage maintenances only: until when.
        public var scheduledUntil: String?
    }

    public var indicator: Indicator
    public var description: String
    public var components: [Component]
    public var incidents: [Incident]
    public var maintenances: [Incident]

    /// Nothing to tell: no incident, no degraded component, no maintenance under way.
    public var isOperational: Bool { indicator == .none && incidents.isEmpty && components.isEmpty && maintenances.isEmpty }
}

/// One provider's answer, or why there is none.
public enum ProviderReading: Sendable, Equatable {
    case status(ProviderStatus)
    /// The "status unknown (why)" of a snapshot: a timeout, a 5xx, an HTML page, a body we cannot read.
    case unknown(String)

    public var status: ProviderStatus? {
        if case .status(let status) = self { return status }
        return nil
    }
}
