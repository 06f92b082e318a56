public import Foundation

extension FakeStatuspage {
    /// The statuses of a component, the ones `components` maps and `GET /components` shows.
    public static let componentStatuses: Set<String> = ["operational", "under_maintenance", "degraded_performance", "partial_outage", "major_outage"]
    /// Realtime and scheduled incident statuses.
    public static let incidentStatuses: Set<String> = [
        "investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "verifying", "completed",
    ]
    public static let impacts: Set<String> = ["none", "maintenance", "minor", "major", "critical"]

    /// A component of the page (a service customers see on the status page).
    public struct Component: Sendable, Hashable {
        public var id: String
        public var name: String
        public var status: String
        public var description: String?
        public var groupID: String?

        public init(id: String, name: String, status: String = "operational", description: String? = nil, groupID: String? = nil) {
            self.id = id
            self.name = name
            self.status = status
            self.description = description
            self.groupID = groupID
        }
    }

    /// A component whose status an incident write changed (`affected_components`).
    public struct AffectedComponent: Sendable, Hashable {
        public var code: String
        public var name: String
        public var oldStatus: String
        public var newStatus: String
    }

    /// One entry of an incident's history: what subscribers read (and whether they were notified).
    public struct IncidentUpdate: Sendable, Hashable {
        public var id: String
        public var status: String
        public var body: String
        public var deliverNotifications: Bool
        public var affectedComponents: [AffectedComponent]
        public var createdAt: Date
    }

    /// An incident as the fake keeps it; `updates` oldest first (answers list them newest first).
    public struct Incident: Sendable, Hashable {
        public var id: String
        public var pageID: String
        public var name: String
        public var status: String
        public var impactOverride: String?
        public var shortlink: String
        public var componentIDs: [String]
        public var metadata: [String: [String: String]]
        public var updates: [IncidentUpdate]
        public var createdAt: Date
        public var updatedAt: Date
        public var monitoringAt: Date?
        public var resolvedAt: Date?
        /// How the incident was written: `POST`, then `PATCH`/`PUT` per update.
        public var writes: [String]

        public var isResolved: Bool { status == "resolved" || status == "completed" }
    }

    /// Requests per token within a sliding window; over it the fake answers `status` with `Retry-After`.
    public struct RateLimit: Sendable, Equatable {
        public var requests: Int
        public var window: TimeInterval
        /// 429 since 2021-02-15; 420 in the legacy mode.
        public var status: Int

        public init(requests: Int, window: TimeInterval, status: Int = 429) {
            self.requests = requests
            self.window = window
            self.status = status
        }

        /// Statuspage's documented budget: 1 request a second, counted over a rolling minute.
        public static let documented = RateLimit(requests: 60, window: 60)
        /// One request a second, counted per second: trips on the second call of a burst.
        public static let strict = RateLimit(requests: 1, window: 1)
    }
}
