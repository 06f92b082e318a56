import CasebookKit
import Foundation

extension FakeStatusPages {
    /// One page's state: its components' statuses and its incidents, open and resolved.
    struct Board: Sendable {
        struct Update: Sendable {
            var id: String
            var status: String
            var body: String
            var at: Date
        }

        struct Incident: Sendable {
            var id: String
            var name: String
            var status: String
            var impact: String
            var createdAt: Date
            var resolvedAt: Date?
            var updates: [Update]
            var componentIDs: [String]
            /// Maintenances only.
            var scheduledFor: Date?
            var scheduledUntil: Date?
            var isMaintenance: Bool { scheduledFor != nil }
        }

        /// A group ("Git Operations") with two children, and two plain components.
        static let components: [(id: String, name: String, group: String?)] = [
            ("cmp-api", "API Requests", nil), ("cmp-webhooks", "Webhooks", nil), ("cmp-git", "Git Operations", nil),
            ("cmp-git-ssh", "Git over SSH", "cmp-git"), ("cmp-git-https", "Git over HTTPS", "cmp-git"), ("cmp-actions", "Actions", nil),
        ]

        var page: Page
        var scenario: Scenario
        var componentStatus: [String: String] = [:]
        var incidents: [Incident] = []
        var resolved: [Incident] = []
        var indicatorOverride: String?
        var updateCount = 0

        init(page: Page, scenario: Scenario, at date: Date) {
            self.page = page
            self.scenario = .operational
            apply(scenario, at: date)
        }

        var open: [Incident] { incidents.filter { !$0.isMaintenance && $0.status != "resolved" } }
        var maintenances: [Incident] { incidents.filter(\.isMaintenance) }

        /// Worst wins: component statuses and open incidents' impact; maintenance when only that.
        var indicator: String {
            if let indicatorOverride { return indicatorOverride }
            let order = ["none", "maintenance", "minor", "major", "critical"]
            var worst = 0
            for status in componentStatus.values {
                let level = switch status {
                case "degraded_performance": "minor"
                case "partial_outage": "major"
                case "major_outage": "critical"
                case "under_maintenance": "maintenance"
                default: "none"
                }
                worst = max(worst, order.firstIndex(of: level) ?? 0)
            }
            for incident in open { worst = max(worst, order.firstIndex(of: incident.impact) ?? 0) }
            if !maintenances.isEmpty { worst = max(worst, 1) }
            return order[worst]
        }

        var indicatorDescription: String {
            switch indicator {
            case "none": "All Systems Operational"
            case "maintenance": "Service Under Maintenance"
            case "minor": "Minor Service Outage"
            case "major": "Partial System Outage"
            case "critical": "Major Service Outage"
            default: "Elevated Error Rates"
            }
        }

        mutating func apply(_ next: Scenario, at date: Date) {
            let previous = incidents
            scenario = next
            componentStatus = Dictionary(uniqueKeysWithValues: Self.components.map { ($0.id, "operational") })
            indicatorOverride = nil
            incidents = []
            let prefix = page.name
            switch next {
            case .operational: break
            case .minorIncident:
                componentStatus["cmp-webhooks"] = "degraded_performance"
                incidents = [incident(
                    "\(prefix)-inc-minor", "Delayed webhook deliveries", status: "identified", impact: "minor", at: date,
                    updates: [("investigating", "We are investigating delays in webhook deliveries."),
                              ("identified", "The cause is identified; deliveries are catching up.")],
                    components: ["cmp-webhooks"])]
            case .majorOutage:
                componentStatus["cmp-api"] = "major_outage"
                componentStatus["cmp-git-ssh"] = "partial_outage"
                incidents = [incident(
                    "\(prefix)-inc-major", "API requests failing", status: "investigating", impact: "major", at: date,
                    updates: [("investigating", "API requests are failing for most customers. We are investigating.")],
                    components: ["cmp-api", "cmp-git-ssh"])]
            case .maintenance:
                componentStatus["cmp-actions"] = "under_maintenance"
                var window = incident(
                    "\(prefix)-mnt-db", "Database maintenance", status: "in_progress", impact: "maintenance", at: date,
                    updates: [("in_progress", "Scheduled maintenance is under way.")], components: ["cmp-actions"])
                window.scheduledFor = date.addingTimeInterval(-600)
                window.scheduledUntil = date.addingTimeInterval(3_000)
                incidents = [window]
            case .resolvedStillListed:
                var old = incident(
                    "\(prefix)-inc-resolved", "Elevated error rates", status: "resolved", impact: "minor", at: date.addingTimeInterval(-3_600),
                    updates: [("investigating", "Investigating."), ("resolved", "This incident has been resolved.")], components: [])
                old.resolvedAt = date
                incidents = [old]
            case .unknownIndicator:
                indicatorOverride = "elevated"
            }
            let kept = Set(incidents.map(\.id))
            for var gone in previous where !kept.contains(gone.id) && !gone.isMaintenance && gone.status != "resolved" {
                gone.status = "resolved"
                gone.resolvedAt = date
                updateCount += 1
                gone.updates.insert(Update(id: "\(gone.id)-u\(updateCount)", status: "resolved", body: "This incident has been resolved.", at: date), at: 0)
                resolved.insert(gone, at: 0)
            }
        }

        mutating func addUpdate(_ body: String, status: String, at date: Date) {
            guard let index = incidents.firstIndex(where: { !$0.isMaintenance && $0.status != "resolved" }) else { return }
            updateCount += 1
            incidents[index].status = status
            incidents[index].updates.insert(Update(id: "\(incidents[index].id)-u\(updateCount)", status: status, body: body, at: date), at: 0)
        }

        /// Updates are kept newest first, as Statuspage lists them, a minute apart, the last one now.
        private mutating func incident(
            _ id: String, _ name: String, status: String, impact: String, at date: Date, updates: [(String, String)], components: [String]
        ) -> Incident {
            var list: [Update] = []
            for (offset, update) in updates.enumerated() {
                updateCount += 1
                list.insert(Update(id: "\(id)-u\(updateCount)", status: update.0, body: update.1, at: date.addingTimeInterval(Double((offset - updates.count + 1) * 60))), at: 0)
            }
            return Incident(id: id, name: name, status: status, impact: impact, createdAt: date, updates: list, componentIDs: components)
        }
    }
}
