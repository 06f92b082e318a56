import CasebookKit

/// Reads Heroku's `/api/v4/current-status`: one colour per system (green, yellow, red; blue for
/// maintenance), incidents with their updates, scheduled maintenances.
enum HerokuStatus {
    static func parse(_ json: JSONValue) throws(ReadingError) -> ProviderStatus {
        guard let systems = json["status"]?.array else { throw ReadingError("the answer has no status list: not Heroku's current-status") }
        var worst = ProviderStatus.Indicator.none
        var components: [ProviderStatus.Component] = []
        for system in systems {
            guard let name = system["system"]?.string, let colour = system["status"]?.string, colour != "green" else { continue }
            let indicator: ProviderStatus.Indicator = switch colour {
            case "yellow": .minor
            case "red": .major
            case "blue": .maintenance
            default: .degraded
            }
            worst = max(worst, indicator)
            components.append(ProviderStatus.Component(name: name, status: colour))
        }
        let incidents = (json["incidents"]?.array ?? []).compactMap { incident(from: $0, status: "active") }
        let maintenances = (json["scheduled"]?.array ?? []).compactMap { incident(from: $0, status: "scheduled") }
        if !incidents.isEmpty { worst = max(worst, .minor) }
        let description = switch worst {
        case .none: "All Systems Operational"
        case .maintenance: "Maintenance in progress"
        case .minor, .degraded: "Degraded"
        case .major, .critical: "Outage"
        }
        return ProviderStatus(indicator: worst, description: description, components: components, incidents: incidents, maintenances: maintenances)
    }

    private static func incident(from json: JSONValue, status: String) -> ProviderStatus.Incident? {
        guard let title = json["title"]?.string else { return nil }
        let updates = (json["updates"]?.array ?? []).sorted { ($0["updated_at"]?.string ?? "") > ($1["updated_at"]?.string ?? "") }
        let id = json["id"].map { $0.string ?? $0.int.map(String.init) ?? "" } ?? ""
        return ProviderStatus.Incident(
            id: id.isEmpty ? (json["full_url"]?.string ?? title) : id, name: title,
            status: updates.first?["update_type"]?.string ?? status, impact: nil, link: json["full_url"]?.string,
            latestUpdate: updates.first?["contents"]?.string, updatedAt: updates.first?["updated_at"]?.string ?? json["created_at"]?.string,
            scheduledUntil: nil)
    }
}
