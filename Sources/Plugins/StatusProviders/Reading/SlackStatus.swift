import CasebookKit

/// Reads the Slack Status API 2.0.0 `/api/v2.0.0/current`: `status` is `ok` when all is well;
/// otherwise the active incidents say how bad (an `outage` is major, an `incident` minor, anything
/// else maintenance or a notice).
enum SlackStatus {
    static func parse(_ json: JSONValue) throws(ReadingError) -> ProviderStatus {
        guard let overall = json["status"]?.string else { throw ReadingError("the answer has no status: not the Slack Status API") }
        var incidents: [ProviderStatus.Incident] = []
        var maintenances: [ProviderStatus.Incident] = []
        var worst = ProviderStatus.Indicator.none
        var services: [String] = []
        for item in json["active_incidents"]?.array ?? [] {
            guard let title = item["title"]?.string else { continue }
            let type = item["type"]?.string ?? "incident"
            let notes = (item["notes"]?.array ?? []).sorted { ($0["date_created"]?.string ?? "") > ($1["date_created"]?.string ?? "") }
            let id = item["id"].map { $0.string ?? $0.int.map(String.init) ?? title } ?? title
            let incident = ProviderStatus.Incident(
                id: id, name: title, status: item["status"]?.string ?? "active", impact: type, link: item["url"]?.string,
                latestUpdate: notes.first?["body"]?.string, updatedAt: item["date_updated"]?.string ?? notes.first?["date_created"]?.string,
                scheduledUntil: nil)
            switch type {
            case "outage": worst = max(worst, .major); incidents.append(incident)
            case "incident": worst = max(worst, .minor); incidents.append(incident)
            default: worst = max(worst, .maintenance); maintenances.append(incident)
            }
            for service in item["services"]?.array?.compactMap(\.string) ?? [] where !services.contains(service) { services.append(service) }
        }
        if overall != "ok", worst == .none { worst = .degraded }
        let description = switch worst {
        case .none: "All Systems Operational"
        case .maintenance: "Maintenance or notice"
        case .minor, .degraded: "Incident"
        case .major, .critical: "Outage"
        }
        let components = incidents.isEmpty ? [] : services.map { ProviderStatus.Component(name: $0, status: "affected") }
        return ProviderStatus(indicator: worst, description: description, components: components, incidents: incidents, maintenances: maintenances)
    }
}
