import CasebookKit

/// The REST API v2 calls Casebook makes: who is on call, services by name, and paging a service.
/// Authenticated with `Authorization: Token token=<api_token>`; version 2 pinned by `Accept`.
struct RESTAPI {
    static let service = "PagerDuty"

    let baseURL: String
    let token: String
    let http: any OutboundHTTP

    var headers: [String: String] {
        ["Authorization": "Token token=\(token)", "Accept": "application/vnd.pagerduty+json;version=2"]
    }

    /// One person on call at one level of one escalation policy.
    struct OnCall: Equatable, Sendable {
        var level: Int
        var policy: String
        var userID: String
        var name: String
        var email: String?
        var schedule: String?
    }

    /// `GET /oncalls?earliest=true&include[]=users`, every page, filtered as configured.
    func oncalls(policies: [String], schedules: [String]) async throws -> [OnCall] {
        var result: [OnCall] = []
        var offset = 0
        while true {
            var query = [("earliest", "true"), ("include[]", "users"), ("limit", "100"), ("offset", String(offset))]
            query += policies.map { ("escalation_policy_ids[]", $0) }
            query += schedules.map { ("schedule_ids[]", $0) }
            let json = try await get("/oncalls", query)
            for entry in json["oncalls"]?.array ?? [] {
                guard let user = entry["user"], let id = user["id"]?.string else { continue }
                result.append(OnCall(
                    level: entry["escalation_level"]?.int ?? 1,
                    policy: entry["escalation_policy"]?["summary"]?.string ?? entry["escalation_policy"]?["id"]?.string ?? "",
                    userID: id, name: user["name"]?.string ?? user["summary"]?.string ?? id, email: user["email"]?.string,
                    schedule: entry["schedule"]?["summary"]?.string))
            }
            let page = json["oncalls"]?.array?.count ?? 0
            guard json["more"]?.bool == true, page > 0, offset + page + 100 <= 10_000 else { break }
            offset += page
        }
        return result.sorted { ($0.policy, $0.level, $0.name) < ($1.policy, $1.level, $1.name) }
    }

    /// A PagerDuty service and the escalation policy it pages.
    struct Service: Equatable, Sendable {
        var id: String
        var name: String
        var escalationPolicy: String?
    }

    /// A service by id (`P…`, `GET /services/{id}`) or by its exact name (`GET /services?query=`).
    func service(named nameOrID: String) async throws -> Service? {
        if Self.looksLikeID(nameOrID) {
            do {
                let service = try await get("/services/\(Self.escape(nameOrID))", [])["service"]
                if let service, let id = service["id"]?.string {
                    return Service(id: id, name: service["name"]?.string ?? id, escalationPolicy: service["escalation_policy"]?["id"]?.string)
                }
            } catch let error as IntegrationError where error.status == 404 {
                // Not an id after all: a service may be named like one.
            }
        }
        let json = try await get("/services", [("query", nameOrID), ("limit", "100")])
        let services = json["services"]?.array ?? []
        let match = services.first { $0["id"]?.string == nameOrID }
            ?? services.first { ($0["name"]?.string ?? $0["summary"]?.string)?.lowercased() == nameOrID.lowercased() }
        guard let match, let id = match["id"]?.string else { return nil }
        return Service(id: id, name: match["name"]?.string ?? match["summary"]?.string ?? id, escalationPolicy: match["escalation_policy"]?["id"]?.string)
    }

    /// An incident created on a service.
    struct Incident: Equatable, Sendable {
        var id: String
        var number: Int?
        var url: String?
        /// False when PagerDuty already had an open incident with this key (nobody was paged again).
        var created: Bool
    }

    /// `POST /incidents` with the `From` header PagerDuty requires and an `incident_key` stable
    /// for the case and service, so a repeat (a retry, a second `/case page`) does not page twice.
    func createIncident(serviceID: String, title: String, details: String, incidentKey: String, from: String) async throws -> Incident {
        let body: JSONValue = ["incident": [
            "type": "incident", "title": .string(String(title.prefix(1024))),
            "service": ["id": .string(serviceID), "type": "service_reference"],
            "incident_key": .string(incidentKey),
            "body": ["type": "incident_body", "details": .string(details)],
        ]]
        var all = headers
        all["From"] = from
        do {
            let response = try await http.send(.json(.post, "\(baseURL)/incidents", integration: Self.service, body: body, headers: all, retry: .safe, secrets: [token]))
            let incident = try response.json(integration: Self.service)["incident"]
            guard let id = incident?["id"]?.string else {
                throw IntegrationError(integration: Self.service, kind: .invalidResponse("no incident id in the answer"), retryable: false)
            }
            return Incident(id: id, number: incident?["incident_number"]?.int, url: incident?["html_url"]?.string, created: true)
        } catch let error as IntegrationError where error.status == 400 && (error.body ?? "").lowercased().contains("incident_key") {
            // An open incident with this key exists: the service was paged for this case already.
            return Incident(id: "", number: nil, url: nil, created: false)
        }
    }

    private func get(_ path: String, _ query: [(String, String)]) async throws -> JSONValue {
        let encoded = query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        let response = try await http.send(OutboundRequest(.get, "\(baseURL)\(path)\(encoded.isEmpty ? "" : "?" + encoded)", integration: Self.service, headers: headers, secrets: [token]))
        return try response.json(integration: Self.service)
    }

    /// PagerDuty ids are `P` and six or more uppercase letters and digits.
    static func looksLikeID(_ text: String) -> Bool {
        text.count >= 7 && text.hasPrefix("P") && text.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension IntegrationError {
    /// REST errors are `{error: {message, code, errors[]}}`.
    var pagerDutyMessage: String {
        guard let body, let json = try? JSONValue.decode(body) else { return reason }
        let parts = [json["error"]?["message"]?.string].compactMap { $0 } + (json["error"]?["errors"]?.array?.compactMap(\.string) ?? [])
        return parts.isEmpty ? reason : parts.joined(separator: ": ")
    }
}
