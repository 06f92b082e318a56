import CasebookKit

/// Reads Statuspage's `/api/v2/summary.json` (reference/integrations.md §3.1). Resolved and
/// post-mortem incidents are dropped even though the summary should not list them; group rows
/// are not shown (their children are).
enum StatuspageSummary {
    static func parse(_ json: JSONValue) throws(ReadingError) -> ProviderStatus {
        guard let status = json["status"], let indicator = status["indicator"]?.string else {
            throw ReadingError("the answer has no status.indicator: not a Statuspage summary")
        }
        let components = (json["components"]?.array ?? []).compactMap { component -> ProviderStatus.Component? in
            guard component["group"]?.bool != true, let name = component["name"]?.string, let state = component["status"]?.string,
                  state != "operational"
            else { return nil }
            return ProviderStatus.Component(name: name, status: state)
        }
        let incidents = (json["incidents"]?.array ?? []).compactMap(incident).filter { !["resolved", "postmortem"].contains($0.status) }
        let maintenances = (json["scheduled_maintenances"]?.array ?? []).compactMap(incident).filter { ["in_progress", "verifying"].contains($0.status) }
        return ProviderStatus(
            indicator: ProviderStatus.Indicator(statuspage: indicator), description: status["description"]?.string ?? indicator,
            components: components, incidents: incidents, maintenances: maintenances)
    }

    private static func incident(_ json: JSONValue) -> ProviderStatus.Incident? {
        guard let id = json["id"]?.string, let name = json["name"]?.string else { return nil }
        // Updates come newest first; sort anyway, by when they were shown.
        let updates = (json["incident_updates"]?.array ?? []).sorted {
            ($0["display_at"]?.string ?? $0["created_at"]?.string ?? "") > ($1["display_at"]?.string ?? $1["created_at"]?.string ?? "")
        }
        return ProviderStatus.Incident(
            id: id, name: name, status: json["status"]?.string ?? "unknown", impact: json["impact"]?.string, link: json["shortlink"]?.string,
            latestUpdate: updates.first?["body"]?.string, updatedAt: updates.first?["display_at"]?.string ?? json["updated_at"]?.string,
            scheduledUntil: json["scheduled_until"]?.string)
    }
}

/// A 2xx body that is not the document the provider's kind promises.
struct ReadingError: Error, Sendable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
