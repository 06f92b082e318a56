import CasebookKit

/// The Statuspage management API as the plugin reads it: components, and the shared pieces of every
/// call (auth header, error messages). Writing incidents lives in `Publishing/Publisher.swift`
/// only — the one publish path.
struct StatuspageAPI: Sendable {
    static let service = "Statuspage"

    let baseURL: String
    let pageID: String
    let apiKey: String
    let http: any OutboundHTTP

    init(_ configuration: StatuspagePlugin.Configuration, http: any OutboundHTTP) {
        baseURL = configuration.apiURL
        pageID = configuration.pageID
        apiKey = configuration.apiKey
        self.http = http
    }

    /// `Authorization: OAuth <key>` (the word is OAuth; there is no OAuth flow).
    var headers: [String: String] { ["Authorization": "OAuth \(apiKey)", "Accept": "application/json"] }

    var pageURL: String { "\(baseURL)/pages/\(pageID)" }

    /// A component of the page.
    struct Component: Sendable, Equatable, Codable {
        var id: String
        var name: String
        var status: String
    }

    /// `GET /pages/{page_id}/components`, every page of 100 (Statuspage always paginates), within
    /// `deadline` all together: the modal waits for nothing longer.
    func components(deadline: Duration) async throws -> [Component] {
        var found: [Component] = []
        let started = ContinuousClock.now
        for page in 1...20 {
            let left = deadline - (ContinuousClock.now - started)
            guard left > .zero else { break }
            var request = OutboundRequest(
                .get, "\(pageURL)/components?page=\(page)&per_page=100", integration: Self.service, headers: headers,
                timeout: left, deadline: left, maxAttempts: 2, secrets: [apiKey])
            request.retry = .whenIdempotent
            let json = try await send(request)
            let items = json.array ?? []
            found += items.compactMap { item in
                guard let id = item["id"]?.string, item["group"]?.bool != true else { return nil }
                return Component(id: id, name: item["name"]?.string ?? id, status: item["status"]?.string ?? "operational")
            }
            if items.count < 100 { break }
        }
        return found
    }

    /// Sends a request and reads the answer as JSON; a failure carries Statuspage's own words.
    func send(_ request: OutboundRequest) async throws -> JSONValue {
        do {
            return try await http.send(request).json(integration: Self.service)
        } catch var error as IntegrationError {
            error.serviceMessage = Self.message(in: error.body) ?? error.serviceMessage
            throw error
        }
    }

    /// Statuspage's error bodies: the spec's `{message}`, the observed `{error: "…"}`, and
    /// `{error: ["…", "…"]}` for validation.
    static func message(in body: String?) -> String? {
        guard let body, let json = try? JSONValue.decode(body) else { return nil }
        if let list = json["error"]?.array?.compactMap(\.string), !list.isEmpty { return list.joined(separator: "; ") }
        return json["error"]?.string ?? json["message"]?.string
    }
}
