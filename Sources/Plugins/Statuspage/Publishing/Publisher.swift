import CasebookKit

/// What Statuspage holds for a case once a draft is published.
struct PublishedIncident: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var status: String
    var shortlink: String?
}

/// The one code path in Casebook that writes incidents to Statuspage (`POST`/`PATCH
/// /pages/{page_id}/incidents…`). A test reads the source tree and fails if these endpoints appear
/// anywhere else, and ``publish(_:known:)`` is called only from the effect of
/// `context.approvals.execute` (`PublishCall.swift`), which refuses unless the approval row says
/// approved with the content hash the approver saw.
///
/// Idempotent, because a durable job may run it again after an ambiguous failure: the incident is
/// the one recorded for the case, else an unresolved incident of the page made for this case (our
/// metadata) or with the draft's name; if its latest update already says what the draft says,
/// nothing is written.
struct Publisher: Sendable {
    let api: StatuspageAPI

    func publish(_ draft: Draft, known incidentID: String?) async throws -> PublishedIncident {
        var target: JSONValue?
        if let incidentID { target = try await incident(incidentID) }
        if target == nil { target = try await unresolved(matching: draft) }
        guard let target, let id = target["id"]?.string else { return try await write(.post, "\(api.pageURL)/incidents", draft) }
        if Self.latestUpdate(of: target, says: draft) { return Self.published(target, id: id) }
        return try await write(.patch, "\(api.pageURL)/incidents/\(id)", draft)
    }

    /// `GET …/incidents/{id}`; nil when Statuspage no longer has it.
    private func incident(_ id: String) async throws -> JSONValue? {
        do {
            return try await api.send(OutboundRequest(.get, "\(api.pageURL)/incidents/\(id)", integration: StatuspageAPI.service, headers: api.headers, secrets: [api.apiKey]))
        } catch let error as IntegrationError where error.status == 404 {
            return nil
        }
    }

    /// `GET …/incidents/unresolved`: one this case created (a create whose answer was lost), by our
    /// metadata or, without metadata, by name.
    private func unresolved(matching draft: Draft) async throws -> JSONValue? {
        let list = try await api.send(OutboundRequest(
            .get, "\(api.pageURL)/incidents/unresolved", integration: StatuspageAPI.service, headers: api.headers, secrets: [api.apiKey]))
        return (list.array ?? []).first { incident in
            if let caseID = incident["metadata"]?["casebook"]?["case_id"]?.string { return caseID == draft.caseID }
            return incident["name"]?.string == draft.name
        }
    }

    /// The create or the update. Never repeated in process (a lost answer is resolved by the look-ups
    /// above on the job's next attempt); a 429 is, after its `Retry-After`, since Statuspage did not act on it.
    private func write(_ method: OutboundRequest.Method, _ url: String, _ draft: Draft) async throws -> PublishedIncident {
        var incident: [String: JSONValue] = [
            "name": .string(draft.name), "status": .string(draft.status.rawValue), "body": .string(draft.body),
            "component_ids": .array(draft.components.keys.sorted().map(JSONValue.string)),
            "components": .object(draft.components.mapValues(JSONValue.string)),
            "deliver_notifications": .bool(draft.deliverNotifications),
        ]
        if method == .post { incident["metadata"] = ["casebook": ["case_id": .string(draft.caseID)]] }
        var request = OutboundRequest.json(
            method, url, integration: StatuspageAPI.service, body: ["incident": .object(incident)], headers: api.headers, retry: .never,
            secrets: [api.apiKey])
        request.timeout = .seconds(10)
        request.deadline = .seconds(60)
        request.maxAttempts = 4
        let answer = try await api.send(request)
        guard let id = answer["id"]?.string else {
            throw IntegrationError(integration: StatuspageAPI.service, kind: .invalidResponse("no incident id in the answer"), retryable: true)
        }
        return Self.published(answer, id: id)
    }

    /// Whether the incident's newest update has the draft's status and words.
    static func latestUpdate(of incident: JSONValue, says draft: Draft) -> Bool {
        let updates = incident["incident_updates"]?.array ?? []
        guard let latest = updates.max(by: { ($0["created_at"]?.string ?? "") < ($1["created_at"]?.string ?? "") }) else { return false }
        return latest["status"]?.string == draft.status.rawValue && latest["body"]?.string == draft.body
    }

    static func published(_ incident: JSONValue, id: String) -> PublishedIncident {
        PublishedIncident(
            id: id, name: incident["name"]?.string ?? "", status: incident["status"]?.string ?? "", shortlink: incident["shortlink"]?.string)
    }
}
