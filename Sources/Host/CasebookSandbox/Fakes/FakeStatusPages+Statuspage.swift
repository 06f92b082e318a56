import CasebookKit
import Foundation

/// The public status API v2 of a Statuspage-hosted page (reference/integrations.md §3.1).
extension FakeStatusPages.Board {
    func statuspage(_ path: String, now: Date) -> FakeResponse? {
        let open = open.map(incidentJSON)
        let maintenances = maintenances.map(incidentJSON)
        switch path {
        case "api/v2/summary.json":
            // The summary lists unresolved incidents only — except in the scenario that tests clients filter anyway.
            let listed = scenario == .resolvedStillListed ? incidents.filter { !$0.isMaintenance }.map(incidentJSON) : open
            return .json(["page": pageJSON(now), "status": statusJSON, "components": .array(componentsJSON), "incidents": .array(listed),
                          "scheduled_maintenances": .array(maintenances)])
        case "api/v2/status.json": return .json(["page": pageJSON(now), "status": statusJSON])
        case "api/v2/components.json": return .json(["page": pageJSON(now), "components": .array(componentsJSON)])
        case "api/v2/incidents.json":
            return .json(["page": pageJSON(now), "incidents": .array(incidents.filter { !$0.isMaintenance }.map(incidentJSON) + resolved.map(incidentJSON))])
        case "api/v2/incidents/unresolved.json": return .json(["page": pageJSON(now), "incidents": .array(open)])
        case "api/v2/scheduled-maintenances.json", "api/v2/scheduled-maintenances/active.json":
            return .json(["page": pageJSON(now), "scheduled_maintenances": .array(maintenances)])
        case "api/v2/scheduled-maintenances/upcoming.json": return .json(["page": pageJSON(now), "scheduled_maintenances": []])
        case "history.atom": return .text(atom(now), status: 200, contentType: "application/atom+xml")
        default: return nil
        }
    }

    var link: String { "https://\(page.host)" }

    func pageJSON(_ now: Date) -> JSONValue {
        ["id": .string(page.pageID), "name": .string(page.title), "url": .string(link), "time_zone": "Etc/UTC", "updated_at": .string(Self.iso(now))]
    }

    var statusJSON: JSONValue { ["indicator": .string(indicator), "description": .string(indicatorDescription)] }

    var componentsJSON: [JSONValue] {
        Self.components.enumerated().map { position, component in
            let children = Self.components.filter { $0.group == component.id }.map { JSONValue.string($0.id) }
            var json: [String: JSONValue] = [
                "id": .string(component.id), "name": .string(component.name), "status": .string(componentStatus[component.id] ?? "operational"),
                "created_at": "2020-01-01T00:00:00.000Z", "updated_at": "2020-01-01T00:00:00.000Z", "position": .number(Double(position + 1)),
                "description": .null, "showcase": true, "start_date": .null, "group_id": component.group.map(JSONValue.string) ?? .null,
                "page_id": .string(page.pageID), "group": .bool(!children.isEmpty), "only_show_if_degraded": false,
            ]
            if !children.isEmpty {
                json["components"] = .array(children)
                // A group shows its worst child.
                let statuses = Self.components.filter { $0.group == component.id }.map { componentStatus[$0.id] ?? "operational" }
                json["status"] = .string(statuses.first { $0 != "operational" } ?? "operational")
            }
            return .object(json)
        }
    }

    func incidentJSON(_ incident: Incident) -> JSONValue {
        let components = componentsJSON.filter { incident.componentIDs.contains($0["id"]?.string ?? "") }
        var json: [String: JSONValue] = [
            "id": .string(incident.id), "name": .string(incident.name), "status": .string(incident.status), "impact": .string(incident.impact),
            "created_at": .string(Self.iso(incident.createdAt)), "updated_at": .string(Self.iso(incident.updates.first?.at ?? incident.createdAt)),
            "started_at": .string(Self.iso(incident.createdAt)), "monitoring_at": .null,
            "resolved_at": incident.resolvedAt.map { .string(Self.iso($0)) } ?? .null,
            "shortlink": .string("https://stspg.io/\(incident.id)"), "page_id": .string(page.pageID),
            "incident_updates": .array(incident.updates.map { update in
                [
                    "id": .string(update.id), "status": .string(update.status), "body": .string(update.body), "incident_id": .string(incident.id),
                    "created_at": .string(Self.iso(update.at)), "updated_at": .string(Self.iso(update.at)), "display_at": .string(Self.iso(update.at)),
                    "affected_components": incident.componentIDs.isEmpty ? .null : .array(incident.componentIDs.map { id in
                        ["code": .string(id), "name": .string(Self.components.first { $0.id == id }?.name ?? id),
                         "old_status": "operational", "new_status": .string(componentStatus[id] ?? "operational")]
                    }),
                    "deliver_notifications": true,
                ]
            }),
            "components": .array(components),
        ]
        if let scheduledFor = incident.scheduledFor { json["scheduled_for"] = .string(Self.iso(scheduledFor)) }
        if let scheduledUntil = incident.scheduledUntil { json["scheduled_until"] = .string(Self.iso(scheduledUntil)) }
        return .object(json)
    }

    /// The feed incident-bot read: one entry per incident, newest first.
    func atom(_ now: Date) -> String {
        let entries = (incidents.filter { !$0.isMaintenance } + resolved).map { incident in
            "<entry><id>tag:\(page.host),2005:Incident/\(incident.id)</id><updated>\(Self.iso(incident.updates.first?.at ?? incident.createdAt))</updated>"
                + "<link rel=\"alternate\" type=\"text/html\" href=\"\(link)/incidents/\(incident.id)\"/><title>\(incident.name)</title>"
                + "<content type=\"html\">\(incident.updates.first?.body ?? "")</content></entry>"
        }.joined()
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xml:lang=\"en-US\" xmlns=\"http://www.w3.org/2005/Atom\">"
            + "<id>tag:\(page.host),2005:/history</id><title>\(page.title) Status - Incident History</title><updated>\(Self.iso(now))</updated>\(entries)</feed>"
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
