import CasebookKit
import Foundation
import Synchronization

/// The REST API v2 (`api.pagerduty.com`) as far as an incident bot uses it: who is on call, users,
/// and incidents (reference/integrations.md §1.3–1.6). Every call is authenticated and counted
/// against its token's rate limit, whose state every answer reports in `ratelimit-*` headers.
extension FakePagerDuty.Account {
    func register(rest: FakeService) {
        rest.route("GET", "/oncalls") { [self] request in authenticated(request) { oncalls($0) } }
        rest.route("GET", "/users/:id") { [self] request in authenticated(request) { user($0) } }
        rest.route("POST", "/incidents") { [self] request in authenticated(request) { createIncident($0) } }
        rest.route("PUT", "/incidents/:id") { [self] request in authenticated(request) { updateIncident($0) } }
        register(services: rest)
        rest.summarize = Self.summarizeREST
    }

    /// `Token token=<known>` or `Bearer <known>`, then the token's rate limit, then the route.
    func authenticated(_ request: FakeRequest, _ route: (FakeRequest) -> FakeResponse) -> FakeResponse {
        guard let token = token(request.headers["authorization"]) else {
            return Self.error(401, "Invalid Authentication Provided", code: 2006)
        }
        let now = now()
        let (admitted, limit, remaining, reset) = ledger.withLock { ledger in
            let admitted = ledger.restLimiter.admit(token, at: now)
            return (admitted, ledger.restLimiter.limit, ledger.restLimiter.remaining(token, at: now),
                    ledger.restLimiter.secondsUntilReset(token, at: now))
        }
        let headers = [("ratelimit-limit", String(limit)), ("ratelimit-remaining", String(remaining)), ("ratelimit-reset", String(reset))]
        guard admitted else { return Self.error(429, "Rate Limit Exceeded", code: 2020).adding(headers: headers) }
        return route(request).adding(headers: headers)
    }

    private func token(_ authorization: String?) -> String? {
        guard let authorization else { return nil }
        for scheme in ["Token token=", "Bearer "] where authorization.hasPrefix(scheme) {
            let token = String(authorization.dropFirst(scheme.count))
            return apiTokens.contains(token) ? token : nil
        }
        return nil
    }

    // MARK: GET /oncalls

    func oncalls(_ request: FakeRequest) -> FakeResponse {
        let page: Page
        let window: (since: Date, until: Date)
        do {
            page = try Page(request)
            window = try onCallWindow(request)
        } catch {
            return Self.error(400, "Invalid Input Provided", code: 2001, errors: [error.message])
        }
        // Only the bracketed names are lists to PagerDuty; `user_ids=X` filters nothing.
        let policies = Set(request.queryValues("escalation_policy_ids[]"))
        let schedules = Set(request.queryValues("schedule_ids[]"))
        let people = Set(request.queryValues("user_ids[]"))
        var matching = oncalls.filter { oncall in
            (policies.isEmpty || policies.contains(oncall.escalationPolicy.id))
                && (schedules.isEmpty || schedules.contains(oncall.schedule?.id ?? "null"))
                && (people.isEmpty || people.contains(oncall.userID))
                && oncall.overlaps(since: window.since, until: window.until)
        }
        if request.queryValues("earliest").last == "true" { matching = Self.earliest(matching) }
        let inlineUsers = request.queryValues("include[]").contains("users")
        let shown = matching.dropFirst(page.offset).prefix(page.limit)
        return .json([
            "oncalls": .array(shown.map { onCallJSON($0, inlineUsers: inlineUsers) }),
            "limit": .number(Double(page.limit)), "offset": .number(Double(page.offset)),
            "more": .bool(page.offset + shown.count < matching.count),
            "total": page.wantsTotal ? .number(Double(matching.count)) : .null,
        ])
    }

    /// Classic pagination: `limit` 1...100 (default 25, larger values capped), `offset` ≥ 0, and
    /// at most 10,000 records reachable.
    struct Page {
        var limit = 25
        var offset = 0
        var wantsTotal = false

        init(_ request: FakeRequest) throws(InvalidInput) {
            if let text = request.queryValues("limit").last {
                guard let limit = Int(text), limit > 0 else { throw InvalidInput("limit must be a positive integer") }
                self.limit = min(limit, 100)
            }
            if let text = request.queryValues("offset").last {
                guard let offset = Int(text), offset >= 0 else { throw InvalidInput("offset must be a non-negative integer") }
                self.offset = offset
            }
            guard offset + limit <= 10_000 else { throw InvalidInput("Offset+limit must be less than or equal to 10000") }
            wantsTotal = request.queryValues("total").last == "true"
        }
    }

    struct InvalidInput: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// `since`/`until` default to now; `until` may not precede `since` nor lie over 90 days ahead.
    private func onCallWindow(_ request: FakeRequest) throws(InvalidInput) -> (since: Date, until: Date) {
        let now = now()
        func date(_ name: String) throws(InvalidInput) -> Date? {
            guard let text = request.queryValues(name).last else { return nil }
            guard let date = Self.parseDate(text) else { throw InvalidInput("\(name) is not a valid ISO 8601 date") }
            return date
        }
        let since = try date("since") ?? now
        let until = try date("until") ?? since
        guard until >= since else { throw InvalidInput("until must not be before since") }
        guard until <= now.addingTimeInterval(90 * 86_400) else { throw InvalidInput("until must be at most 90 days in the future") }
        return (since, until)
    }

    /// The first on-call of each policy + level + user, the way `earliest=true` answers "who is next".
    static func earliest(_ oncalls: [FakePagerDuty.OnCall]) -> [FakePagerDuty.OnCall] {
        var firsts: [String: FakePagerDuty.OnCall] = [:]
        var order: [String] = []
        for oncall in oncalls {
            let key = "\(oncall.escalationPolicy.id)|\(oncall.level)|\(oncall.userID)"
            guard let kept = firsts[key] else {
                firsts[key] = oncall
                order.append(key)
                continue
            }
            if (oncall.start ?? .distantPast) < (kept.start ?? .distantPast) { firsts[key] = oncall }
        }
        return order.compactMap { firsts[$0] }
    }

    private func onCallJSON(_ oncall: FakePagerDuty.OnCall, inlineUsers: Bool) -> JSONValue {
        let user: JSONValue = self.user(id: oncall.userID).map { inlineUsers ? Self.userJSON($0) : Self.reference("user", $0.id, $0.name, path: "users") }
            ?? Self.reference("user", oncall.userID, oncall.userID, path: "users")
        return [
            "user": user,
            "escalation_policy": Self.reference("escalation_policy", oncall.escalationPolicy.id, oncall.escalationPolicy.name, path: "escalation_policies"),
            "escalation_level": .number(Double(oncall.level)),
            "schedule": oncall.schedule.map { Self.reference("schedule", $0.id, $0.name, path: "schedules") } ?? .null,
            "start": oncall.start.map { .string(Self.formatDate($0)) } ?? .null,
            "end": oncall.end.map { .string(Self.formatDate($0)) } ?? .null,
        ]
    }

    // MARK: GET /users/{id}

    func user(_ request: FakeRequest) -> FakeResponse {
        guard let id = request.pathParameters["id"], let user = user(id: id) else {
            return Self.error(404, "Not Found", code: 2100)
        }
        return .json(["user": Self.userJSON(user)])
    }

    // MARK: POST /incidents, PUT /incidents/{id}

    /// Needs `From` (a known user's e-mail) and `incident.type/title/service`; an open incident
    /// with the same `incident_key` on the service makes it a duplicate.
    func createIncident(_ request: FakeRequest) -> FakeResponse {
        guard let from = request.headers["from"], !from.isEmpty else {
            return Self.error(400, "Invalid Input Provided", code: 2001,
                              errors: [#"You must specify a user's email address in the "From" header to perform this action"#])
        }
        guard users.contains(where: { $0.email.caseInsensitiveCompare(from) == .orderedSame }) else {
            return Self.error(400, "Invalid Input Provided", code: 2001, errors: ["The 'From' header must be the email address of a valid user"])
        }
        guard let incident = request.json?["incident"], incident.object != nil else {
            return Self.error(400, "Invalid Input Provided", code: 2001, errors: ["incident is missing"])
        }
        var errors: [String] = []
        if incident["type"]?.string != "incident" { errors.append("Incident type must be 'incident'") }
        let title = incident["title"]?.string ?? ""
        if title.isEmpty { errors.append("Incident title can't be blank") }
        let service = incident["service"]?["id"]?.string.flatMap(service(id:))
        if incident["service"]?["id"] == nil {
            errors.append("Incident service is missing")
        } else if service == nil {
            errors.append("Incident service not found")
        }
        guard errors.isEmpty, let service else { return Self.error(400, "Invalid Input Provided", code: 2001, errors: errors) }
        let key = incident["incident_key"]?.string ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = now()
        let created = ledger.withLock { ledger -> FakePagerDuty.Incident? in
            guard !ledger.incidents.contains(where: { $0.serviceID == service.id && $0.incidentKey == key && $0.isOpen }) else { return nil }
            let number = ledger.incidents.count + 1
            let incident = FakePagerDuty.Incident(
                id: "Q\(String(1_000_000 + number, radix: 36).uppercased())", number: number, title: title, serviceID: service.id,
                incidentKey: key, status: "triggered", urgency: incident["urgency"]?.string ?? "high", createdBy: from,
                details: incident["body"]?["details"], createdAt: now)
            ledger.incidents.append(incident)
            return incident
        }
        guard let created else {
            return Self.error(400, "Incident Already Exists", code: 2001, errors: ["Open incident with matching dedup key already exists on this service"])
        }
        return .json(["incident": incidentJSON(created)], status: 201)
    }

    /// Acknowledges or resolves (incident-bot resolves this way); a resolved key can be reused.
    func updateIncident(_ request: FakeRequest) -> FakeResponse {
        let status = request.json?["incident"]?["status"]?.string
        guard let status, ["acknowledged", "resolved"].contains(status) else {
            return Self.error(400, "Invalid Input Provided", code: 2001, errors: ["Incident status must be 'acknowledged' or 'resolved'"])
        }
        let updated = ledger.withLock { ledger -> FakePagerDuty.Incident? in
            guard let index = ledger.incidents.firstIndex(where: { $0.id == request.pathParameters["id"] }) else { return nil }
            ledger.incidents[index].status = status
            return ledger.incidents[index]
        }
        guard let updated else { return Self.error(404, "Not Found", code: 2100) }
        return .json(["incident": incidentJSON(updated)])
    }

    private func incidentJSON(_ incident: FakePagerDuty.Incident) -> JSONValue {
        let service = service(id: incident.serviceID)
        return [
            "id": .string(incident.id), "type": "incident", "summary": .string("[#\(incident.number)] \(incident.title)"),
            "self": .string("\(FakePagerDuty.apiURL)/incidents/\(incident.id)"), "html_url": .string(incident.htmlURL),
            "incident_number": .number(Double(incident.number)), "title": .string(incident.title),
            "status": .string(incident.status), "urgency": .string(incident.urgency), "incident_key": .string(incident.incidentKey),
            "created_at": .string(Self.formatDate(incident.createdAt)),
            "service": Self.reference("service", incident.serviceID, service?.name ?? incident.serviceID, path: "services"),
            "escalation_policy": service.map { Self.reference("escalation_policy", $0.escalationPolicy.id, $0.escalationPolicy.name, path: "escalation_policies") } ?? .null,
            "assignments": [],
        ]
    }

    // MARK: JSON shapes

    /// `{error:{message,code,errors}}`, PagerDuty's one error shape for REST.
    static func error(_ status: Int, _ message: String, code: Int, errors: [String] = []) -> FakeResponse {
        var error: [String: JSONValue] = ["message": .string(message), "code": .number(Double(code))]
        if !errors.isEmpty { error["errors"] = .array(errors.map(JSONValue.string)) }
        return .json(["error": .object(error)], status: status)
    }

    static func reference(_ type: String, _ id: String, _ name: String, path: String) -> JSONValue {
        [
            "id": .string(id), "type": .string("\(type)_reference"), "summary": .string(name),
            "self": .string("\(FakePagerDuty.apiURL)/\(path)/\(id)"), "html_url": .string("\(FakePagerDuty.webURL)/\(path)/\(id)"),
        ]
    }

    static func userJSON(_ user: FakePagerDuty.User) -> JSONValue {
        [
            "id": .string(user.id), "type": "user", "summary": .string(user.name), "name": .string(user.name),
            "email": .string(user.email), "time_zone": .string(user.timeZone), "role": .string(user.role),
            "job_title": .string(user.jobTitle), "color": "purple", "description": "", "invitation_sent": false,
            "avatar_url": .string("https://secure.gravatar.com/avatar/\(user.id.lowercased()).png?d=mm&r=PG"),
            "self": .string("\(FakePagerDuty.apiURL)/users/\(user.id)"), "html_url": .string("\(FakePagerDuty.webURL)/users/\(user.id)"),
            "contact_methods": [], "notification_rules": [], "teams": [],
        ]
    }

    static func formatDate(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func parseDate(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle()))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    // MARK: Call log

    /// `GET /oncalls · escalation_policy_ids[]=P1 earliest=true`, `POST /incidents · title="…" service=… incident_key=…`.
    @Sendable static func summarizeREST(_ request: FakeRequest) -> String {
        if request.method == "POST", request.path == "/incidents", let incident = request.json?["incident"] {
            var parts: [String] = []
            if let title = incident["title"]?.string { parts.append("title=\(JSONValue.string(title).encoded())") }
            if let service = incident["service"]?["id"]?.string { parts.append("service=\(service)") }
            if let key = incident["incident_key"]?.string { parts.append("incident_key=\(key)") }
            return "\(request.line) · \(parts.joined(separator: " "))"
        }
        guard !request.query.isEmpty else { return request.line }
        return "\(request.line) · \(request.query.map { "\($0.name)=\($0.value)" }.joined(separator: " "))"
    }
}
