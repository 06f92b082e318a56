import CasebookKit
import Foundation
import Synchronization

/// `POST /pages/{page_id}/incidents`, `PATCH`/`PUT …/incidents/{id}`, `GET …/incidents/{id}`,
/// `GET …/incidents` and `GET …/incidents/unresolved` (reference/integrations.md §2.1–2.2).
extension FakeStatuspage.Account {
    func register(_ service: FakeService) {
        route(service, "GET", "/pages/:page/incidents/unresolved") { [self] _ in listIncidents(unresolvedOnly: true) }
        route(service, "GET", "/pages/:page/incidents") { [self] _ in listIncidents(unresolvedOnly: false) }
        route(service, "POST", "/pages/:page/incidents") { [self] request in createIncident(request) }
        route(service, "GET", "/pages/:page/incidents/:id") { [self] request in showIncident(request) }
        route(service, "PATCH", "/pages/:page/incidents/:id") { [self] request in updateIncident(request, method: "PATCH") }
        route(service, "PUT", "/pages/:page/incidents/:id") { [self] request in updateIncident(request, method: "PUT") }
        route(service, "GET", "/pages/:page/components") { [self] request in listComponents(request) }
        service.summarize = Self.summarize
    }

    /// The fields of an `incident` object that are present, checked; problems in Statuspage's words.
    struct Fields {
        var name: String?
        var status: String?
        var body: String?
        var impactOverride: String?
        var componentIDs: [String]?
        var components: [(id: String, status: String)]?
        var deliverNotifications: Bool?
        var metadata: [String: [String: String]]?
        var problems: [String] = []
    }

    func fields(_ incident: JSONValue, known: [FakeStatuspage.Component]) -> Fields {
        var fields = Fields()
        let ids = Set(known.map(\.id))
        if let name = incident["name"] {
            let text = name.string ?? ""
            if text.trimmingCharacters(in: .whitespaces).isEmpty { fields.problems.append("Name can't be blank") }
            if text.count > 255 { fields.problems.append("Name is too long (maximum is 255 characters)") }
            fields.name = text
        }
        fields.status = choice(incident["status"], among: FakeStatuspage.incidentStatuses, "Status", &fields.problems)
        if let body = incident["body"]?.string {
            if body.count > 25_000 { fields.problems.append("Body is too long (maximum is 25000 characters)") }
            fields.body = body
        }
        fields.impactOverride = choice(incident["impact_override"], among: FakeStatuspage.impacts, "Impact override", &fields.problems)
        if let list = incident["component_ids"]?.array {
            let given = list.compactMap(\.string)
            if given.contains(where: { !ids.contains($0) }) { fields.problems.append("Component ids must belong to this page") }
            fields.componentIDs = given
        }
        if let map = incident["components"]?.object {
            var statuses: [(id: String, status: String)] = []
            for id in map.keys.sorted() {
                let status = map[id]?.string ?? ""
                if !ids.contains(id) { fields.problems.append("Component \(id) does not belong to this page") }
                if !status.isEmpty, !FakeStatuspage.componentStatuses.contains(status) {
                    fields.problems.append("Component status \(status) is not included in the list")
                }
                if !status.isEmpty { statuses.append((id, status)) }
            }
            fields.components = statuses
        }
        if let notify = incident["deliver_notifications"] { fields.deliverNotifications = notify.bool ?? (notify.string == "true") }
        if let metadata = incident["metadata"]?.object {
            var checked: [String: [String: String]] = [:]
            for (key, value) in metadata {
                guard let inner = value.object else {
                    fields.problems.append("Metadata values must be objects")
                    continue
                }
                checked[key] = inner.compactMapValues { $0.string ?? $0.double.map { String($0) } }
            }
            fields.metadata = checked
        }
        return fields
    }

    /// A value that must be one of `allowed`; Rails' words when it is not.
    private func choice(_ value: JSONValue?, among allowed: Set<String>, _ field: String, _ problems: inout [String]) -> String? {
        guard let text = value?.string else { return nil }
        if !allowed.contains(text) { problems.append("\(field) is not included in the list") }
        return text
    }

    func createIncident(_ request: FakeRequest) -> FakeResponse {
        guard let incident = Self.body(request)?["incident"], incident.object != nil else { return Self.invalid(["Incident is missing"]) }
        let components = ledger.withLock { $0.components }
        var fields = fields(incident, known: components)
        if fields.name == nil { fields.problems.insert("Name can't be blank", at: 0) }
        guard fields.problems.isEmpty, let name = fields.name else { return Self.invalid(fields.problems) }
        let now = now()
        let created = ledger.withLock { ledger -> FakeStatuspage.Incident in
            let status = fields.status ?? "investigating"
            let affected = Self.apply(fields.components ?? [], to: &ledger)
            var incident = FakeStatuspage.Incident(
                id: Self.newID(), pageID: pageID, name: name, status: status, impactOverride: fields.impactOverride,
                shortlink: "https://stspg.io/\(Self.newID().prefix(9))",
                componentIDs: Array(Set((fields.componentIDs ?? []) + affected.map(\.code))).sorted(),
                metadata: fields.metadata ?? [:], updates: [], createdAt: now, updatedAt: now,
                monitoringAt: status == "monitoring" ? now : nil, resolvedAt: status == "resolved" ? now : nil, writes: ["POST"])
            incident.updates.append(FakeStatuspage.IncidentUpdate(
                id: Self.newID(), status: status, body: fields.body ?? "", deliverNotifications: fields.deliverNotifications ?? true,
                affectedComponents: affected, createdAt: now))
            ledger.incidents.append(incident)
            return incident
        }
        return .json(incidentJSON(created), status: 201)
    }

    /// Partial fields; a `body` or `status` appends an incident update; `components` change the page.
    func updateIncident(_ request: FakeRequest, method: String) -> FakeResponse {
        guard let id = request.pathParameters["id"], ledger.withLock({ $0.incidents.contains { $0.id == id } }) else {
            return Self.error(404, "The incident could not be found")
        }
        let incident = Self.body(request)?["incident"] ?? [:]
        let components = ledger.withLock { $0.components }
        let fields = fields(incident, known: components)
        guard fields.problems.isEmpty else { return Self.invalid(fields.problems) }
        let now = now()
        let updated = ledger.withLock { ledger -> FakeStatuspage.Incident? in
            guard let index = ledger.incidents.firstIndex(where: { $0.id == id }) else { return nil }
            var current = ledger.incidents[index]
            var statuses = fields.components ?? []
            if fields.status == "resolved", ledger.resolvingResetsComponents {
                let named = Set(statuses.map(\.id))
                statuses += current.componentIDs.filter { !named.contains($0) }.map { ($0, "operational") }
            }
            let affected = Self.apply(statuses, to: &ledger)
            if let name = fields.name { current.name = name }
            if let impact = fields.impactOverride { current.impactOverride = impact }
            if let metadata = fields.metadata { current.metadata.merge(metadata) { _, new in new } }
            current.componentIDs = Array(Set(current.componentIDs + (fields.componentIDs ?? []) + affected.map(\.code))).sorted()
            if let status = fields.status, status != current.status {
                if status == "monitoring" { current.monitoringAt = now }
                if status == "resolved" { current.resolvedAt = now }
                current.status = status
            }
            if fields.body != nil || fields.status != nil {
                current.updates.append(FakeStatuspage.IncidentUpdate(
                    id: Self.newID(), status: current.status, body: fields.body ?? "", deliverNotifications: fields.deliverNotifications ?? true,
                    affectedComponents: affected, createdAt: now))
            }
            current.updatedAt = now
            current.writes.append(method)
            ledger.incidents[index] = current
            return current
        }
        guard let updated else { return Self.error(404, "The incident could not be found") }
        return .json(incidentJSON(updated))
    }

    func showIncident(_ request: FakeRequest) -> FakeResponse {
        guard let incident = ledger.withLock({ ledger in ledger.incidents.first { $0.id == request.pathParameters["id"] } }) else {
            return Self.error(404, "The incident could not be found")
        }
        return .json(incidentJSON(incident))
    }

    /// Newest first, as Statuspage lists them.
    func listIncidents(unresolvedOnly: Bool) -> FakeResponse {
        let incidents = ledger.withLock { $0.incidents }.filter { !unresolvedOnly || !$0.isResolved }.reversed()
        return .json(.array(incidents.map(incidentJSON)))
    }

    // MARK: JSON

    func incidentJSON(_ incident: FakeStatuspage.Incident) -> JSONValue {
        let components = ledger.withLock { $0.components }
        let own = components.filter { incident.componentIDs.contains($0.id) }
        func date(_ value: Date?) -> JSONValue { value.map { .string(Self.formatDate($0)) } ?? .null }
        return [
            "id": .string(incident.id), "page_id": .string(incident.pageID), "name": .string(incident.name),
            "status": .string(incident.status), "impact": .string(incident.impactOverride ?? Self.impact(of: own)),
            "impact_override": incident.impactOverride.map(JSONValue.string) ?? .null,
            "shortlink": .string(incident.shortlink),
            "created_at": date(incident.createdAt), "updated_at": date(incident.updatedAt),
            "monitoring_at": date(incident.monitoringAt), "resolved_at": date(incident.resolvedAt),
            "metadata": .object(incident.metadata.mapValues { .object($0.mapValues(JSONValue.string)) }),
            "components": .array(own.map(componentJSON)),
            "incident_updates": .array(incident.updates.reversed().map { update in
                [
                    "id": .string(update.id), "incident_id": .string(incident.id), "status": .string(update.status),
                    "body": .string(update.body), "created_at": date(update.createdAt), "updated_at": date(update.createdAt),
                    "display_at": date(update.createdAt), "deliver_notifications": .bool(update.deliverNotifications),
                    "affected_components": .array(update.affectedComponents.map {
                        ["code": .string($0.code), "name": .string($0.name), "old_status": .string($0.oldStatus), "new_status": .string($0.newStatus)]
                    }),
                ]
            }),
        ]
    }

    /// The worst component status, as an impact.
    static func impact(of components: [FakeStatuspage.Component]) -> String {
        let statuses = Set(components.map(\.status))
        if statuses.contains("major_outage") { return "critical" }
        if statuses.contains("partial_outage") { return "major" }
        if statuses.contains("degraded_performance") { return "minor" }
        if statuses.contains("under_maintenance") { return "maintenance" }
        return "none"
    }

    /// `POST /pages/…/incidents · name="…" status=identified components=2`, for `:calls`.
    @Sendable static func summarize(_ request: FakeRequest) -> String {
        guard let incident = body(request)?["incident"] else { return request.line }
        var parts: [String] = []
        if let name = incident["name"]?.string { parts.append("name=\(JSONValue.string(name).encoded())") }
        if let status = incident["status"]?.string { parts.append("status=\(status)") }
        if let components = incident["components"]?.object { parts.append("components=\(components.count)") }
        return parts.isEmpty ? request.line : "\(request.line) · \(parts.joined(separator: " "))"
    }
}
