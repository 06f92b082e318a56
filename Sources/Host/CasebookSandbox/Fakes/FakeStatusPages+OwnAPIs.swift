import CasebookKit
import Foundation

/// Heroku's and Slack's own status APIs (reference/integrations.md §3.2), from the same board: a
/// scenario means the same thing there, in their words.
extension FakeStatusPages.Board {
    /// `GET /api/v4/current-status`: a colour per system, incidents with updates, scheduled work.
    func heroku() -> JSONValue {
        let colour: (String) -> String = { level in
            switch level {
            case "none": "green"
            case "maintenance": "blue"
            case "minor": "yellow"
            default: "red"
            }
        }
        let apps = colour(indicator)
        let json: (Incident) -> JSONValue = { incident in
            [
                "id": .string(incident.id), "title": .string(incident.name), "created_at": .string(Self.iso(incident.createdAt)),
                "full_url": .string("https://status.heroku.com/incidents/\(incident.id)"),
                "updates": .array(incident.updates.map { update in
                    ["update_type": .string(update.status), "updated_at": .string(Self.iso(update.at)), "contents": .string(update.body)]
                }),
            ]
        }
        return [
            "status": [["system": "Apps", "status": .string(apps)], ["system": "Data", "status": "green"], ["system": "Tools", "status": "green"]],
            "incidents": .array(open.map(json)),
            "scheduled": .array(maintenances.map(json)),
        ]
    }

    /// `GET /api/v2.0.0/current`: `ok` and no incidents when all is well.
    func slackCurrent() -> JSONValue {
        let active = open + maintenances
        return [
            "status": .string(active.isEmpty && indicatorOverride == nil ? "ok" : "active"),
            "date_created": .string(Self.iso(active.first?.createdAt ?? Date(timeIntervalSince1970: 0))),
            "date_updated": .string(Self.iso(active.first?.updates.first?.at ?? Date(timeIntervalSince1970: 0))),
            "active_incidents": .array(active.map(slackIncident)),
        ]
    }

    /// `GET /api/v2.0.0/history`: past incidents, the same shape.
    func slackHistory() -> JSONValue {
        .array(resolved.map(slackIncident))
    }

    func slackIncident(_ incident: Incident) -> JSONValue {
        let type = incident.isMaintenance ? "maintenance" : incident.impact == "minor" ? "incident" : "outage"
        return [
            "id": .number(Double(abs(incident.id.hashValue % 100_000))), "date_created": .string(Self.iso(incident.createdAt)),
            "date_updated": .string(Self.iso(incident.updates.first?.at ?? incident.createdAt)), "title": .string(incident.name),
            "type": .string(type), "status": .string(incident.status == "resolved" ? "resolved" : "active"),
            "url": .string("https://slack-status.com/2026-12/\(incident.id)"),
            "services": .array(incident.componentIDs.isEmpty ? ["Messaging"] : incident.componentIDs.map { id in .string(Self.components.first { $0.id == id }?.name ?? id) }),
            "notes": .array(incident.updates.map { ["date_created": .string(Self.iso($0.at)), "body": .string($0.body)] }),
        ]
    }
}
