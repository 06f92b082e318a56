import CasebookKit

/// Confluence Cloud's v1 content API as the plugin uses it: find a page by title in the space, and
/// create a page under a parent. HTTP Basic with `username:api_token`; errors carry Confluence's own
/// `message` (its Java exception prefix removed) and say what to fix.
struct ConfluenceAPI: Sendable {
    static let service = "Confluence"

    let baseURL: String
    let username: String
    let apiToken: String
    let space: String
    let http: any OutboundHTTP

    init(_ configuration: ConfluenceRCAPlugin.Configuration, http: any OutboundHTTP) {
        baseURL = configuration.baseURL
        username = configuration.username
        apiToken = configuration.apiToken
        space = configuration.space
        self.http = http
    }

    /// A page as Confluence answers it, with its full URL (`_links.base` + `_links.webui`).
    struct Page: Sendable, Equatable, Codable {
        var id: String
        var title: String
        var url: String
    }

    var headers: [String: String] {
        ["Authorization": "Basic " + Data("\(username):\(apiToken)".utf8).base64EncodedString(), "Accept": "application/json"]
    }

    /// `GET /rest/api/content?type=page&spaceKey=…&title=…&limit=1`: the page with exactly this title; nil when none.
    func page(titled title: String) async throws -> Page? {
        let url = "\(baseURL)/rest/api/content?type=page&spaceKey=\(Self.query(space))&title=\(Self.query(title))&limit=1"
        let answer = try await send(OutboundRequest(.get, url, integration: Self.service, headers: headers, secrets: [apiToken]))
        guard let found = answer["results"]?[0], let id = found["id"]?.string else { return nil }
        let base = answer["_links"]?["base"]?.string ?? baseURL
        return Page(id: id, title: found["title"]?.string ?? title, url: base + (found["_links"]?["webui"]?.string ?? "/pages/viewpage.action?pageId=\(id)"))
    }

    /// `POST /rest/api/content`: a page in the space under `parentID`. Answers 200 with the page;
    /// nil when a page with this title already exists (the caller looks it up). Not repeated in
    /// process: a lost answer is resolved by the look-up on the job's next attempt.
    func createPage(title: String, parentID: String, body: String) async throws -> Page? {
        let payload: JSONValue = [
            "type": "page", "title": .string(title), "space": ["key": .string(space)], "ancestors": [["id": .string(parentID)]],
            "body": ["storage": ["value": .string(body), "representation": "storage"]],
            "metadata": ["properties": ["editor": ["value": "v2"]]],
        ]
        var request = OutboundRequest.json(
            .post, "\(baseURL)/rest/api/content", integration: Self.service, body: payload, headers: headers, retry: .never, secrets: [apiToken])
        request.timeout = .seconds(20)
        request.deadline = .seconds(60)
        do {
            let answer = try await send(request)
            guard let id = answer["id"]?.string else {
                throw IntegrationError(integration: Self.service, kind: .invalidResponse("no page id in the answer"), retryable: true)
            }
            let links = answer["_links"]
            let base = links?["base"]?.string ?? baseURL
            return Page(id: id, title: answer["title"]?.string ?? title, url: base + (links?["webui"]?.string ?? "/pages/viewpage.action?pageId=\(id)"))
        } catch let error as IntegrationError where error.status == 400 && Self.isDuplicateTitle(error) {
            return nil
        }
    }

    /// Sends and reads JSON; a failure carries Confluence's words and, for what retrying cannot fix,
    /// what to change.
    func send(_ request: OutboundRequest) async throws -> JSONValue {
        do {
            return try await http.send(request).json(integration: Self.service)
        } catch var error as IntegrationError {
            error.serviceMessage = Self.message(in: error.body) ?? error.serviceMessage
            switch error.status {
            case 401:
                error.serviceMessage = "the credentials were refused; check `username` (the account's e-mail) and `api_token`"
            case 403 where request.method == .post:
                error.serviceMessage = "the space \(space) does not exist or \(username) may not add pages to it; check `space` (a key, e.g. ENG) and the account's space permissions"
            case 404 where request.method == .post:
                error.serviceMessage = "the parent page is gone (\(error.serviceMessage ?? "not found")); check `parent_page`"
            case 413:
                error.serviceMessage = "the page is over Confluence's 5 MB limit; shorten the template"
            default: break
            }
            throw error
        }
    }

    static func isDuplicateTitle(_ error: IntegrationError) -> Bool {
        (error.body ?? "").contains("A page with this title already exists") || (error.body ?? "").contains("A page already exists with the title")
    }

    /// The `message` of a v1 error body without its Java exception class, or the v2 `errors[].title`.
    static func message(in body: String?) -> String? {
        guard let body, let json = try? JSONValue.decode(body) else { return nil }
        if let message = json["message"]?.string, !message.isEmpty {
            if let range = message.range(of: "Exception: ") { return String(message[range.upperBound...]) }
            return message
        }
        let titles = json["errors"]?.array?.compactMap { $0["title"]?.string } ?? []
        return titles.isEmpty ? nil : titles.joined(separator: "; ")
    }

    /// Percent-encoding for a query value (a space key, a page title).
    static func query(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
