import CasebookKit
import Foundation
import Synchronization

/// The v1 content API (`/wiki/rest/api/content`), the one incident-bot and Casebook use.
extension FakeConfluence.Site {
    /// `GET /wiki/rest/api/content?type=page&spaceKey=…&title=…&limit=…&expand=…`: exact title.
    func search(_ request: FakeRequest) -> FakeResponse {
        let space = request.queryValues("spaceKey").last
        let title = request.queryValues("title").last
        let type = request.queryValues("type").last ?? "page"
        let limit = max(1, min(Int(request.queryValues("limit").last ?? "") ?? 25, 200))
        let withBody = request.queryValues("expand").joined(separator: ",").contains("body.storage")
        let (spaces, pages) = ledger.withLock { ($0.spaces, $0.pages) }
        let found = type == "page"
            ? pages.filter { page in (space.map { page.spaceKey == $0 } ?? true) && (title.map { page.title == $0 } ?? true) }
            : []
        let results = found.prefix(limit).map { content($0, spaces: spaces, pages: pages, body: withBody) }
        return .json([
            "results": .array(Array(results)), "start": 0, "limit": .number(Double(limit)), "size": .number(Double(results.count)),
            "_links": ["base": .string(publicBase), "context": "/wiki", "self": .string("\(publicBase)/rest/api/content")],
        ])
    }

    /// `POST /wiki/rest/api/content`: validated as Confluence does, answered 200 (not 201).
    func create(_ request: FakeRequest) -> FakeResponse {
        guard request.body.count <= Self.maximumBody else {
            return Self.v1Error(413, message: "com.atlassian.confluence.api.service.exceptions.RequestTooLargeException: Request too large")
        }
        guard let json = request.json else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Could not parse the request body")
        }
        guard json["type"]?.string == "page" else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Unsupported content type: \(json["type"]?.string ?? "none")")
        }
        guard let title = json["title"]?.string?.trimmingCharacters(in: .whitespaces), !title.isEmpty, title.count <= 255 else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Title is required and at most 255 characters")
        }
        guard let key = json["space"]?["key"]?.string else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Space is required")
        }
        guard let storage = json["body"]?["storage"], let value = storage["value"]?.string, storage["representation"]?.string == "storage" else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: body.storage.value with representation storage is required")
        }
        if let problem = StorageFormat.problem(in: value) {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Error parsing xhtml: \(problem)")
        }
        let ancestor = json["ancestors"]?.array?.last?["id"].flatMap { $0.string ?? $0.int.map { String($0) } }
        return ledger.withLock { ledger -> FakeResponse in
            guard let space = ledger.spaces.first(where: { $0.key == key }), space.canAdd else {
                return Self.v1Error(403, message: "com.atlassian.confluence.api.service.exceptions.PermissionException: Could not create content with type page")
            }
            if let ancestor, !ledger.pages.contains(where: { $0.id == ancestor && $0.spaceKey == key }) {
                return Self.v1Error(404, message: "com.atlassian.confluence.api.service.exceptions.NotFoundException: No content found with id: ContentId{id=\(ancestor)}")
            }
            guard !ledger.pages.contains(where: { $0.spaceKey == key && $0.title == title }) else {
                return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: A page with this title already exists: A page already exists with the title \(title) in the space with key \(key)")
            }
            let page = FakeConfluence.Page(
                id: String(ledger.nextID), spaceKey: key, title: title, parentID: ancestor, body: value, createdAt: now(), seeded: false)
            ledger.nextID += 1
            ledger.pages.append(page)
            var answer = content(page, spaces: ledger.spaces, pages: ledger.pages, body: true)
            if case .object(var object) = answer, case .object(var links)? = object["_links"] {
                links["base"] = .string(publicBase)
                links["context"] = "/wiki"
                object["_links"] = .object(links)
                answer = .object(object)
            }
            return .json(answer)
        }
    }

    /// `GET /wiki/rest/api/content/<id>[?expand=body.storage]`.
    func read(_ request: FakeRequest) -> FakeResponse {
        let id = request.pathParameters["id"] ?? ""
        let withBody = request.queryValues("expand").joined(separator: ",").contains("body.storage")
        let (spaces, pages) = ledger.withLock { ($0.spaces, $0.pages) }
        guard let page = pages.first(where: { $0.id == id }) else {
            return Self.v1Error(404, message: "com.atlassian.confluence.api.service.exceptions.NotFoundException: No content found with id: ContentId{id=\(id)}")
        }
        return .json(content(page, spaces: spaces, pages: pages, body: withBody))
    }

    /// `PUT /wiki/rest/api/content/<id>`: `version.number` must be the current one plus one.
    func update(_ request: FakeRequest) -> FakeResponse {
        let id = request.pathParameters["id"] ?? ""
        guard let json = request.json, let version = json["version"]?["number"]?.int else {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: version.number is required")
        }
        if let value = json["body"]?["storage"]?["value"]?.string, let problem = StorageFormat.problem(in: value) {
            return Self.v1Error(400, message: "com.atlassian.confluence.api.service.exceptions.BadRequestException: Error parsing xhtml: \(problem)")
        }
        return ledger.withLock { ledger -> FakeResponse in
            guard let index = ledger.pages.firstIndex(where: { $0.id == id }) else {
                return Self.v1Error(404, message: "com.atlassian.confluence.api.service.exceptions.NotFoundException: No content found with id: ContentId{id=\(id)}")
            }
            guard version == ledger.pages[index].version + 1 else {
                return Self.v1Error(409, message: "com.atlassian.confluence.api.service.exceptions.ConflictException: Version must be incremented on update. Current version is: \(ledger.pages[index].version)")
            }
            ledger.pages[index].version = version
            if let title = json["title"]?.string { ledger.pages[index].title = title }
            if let value = json["body"]?["storage"]?["value"]?.string { ledger.pages[index].body = value }
            return .json(content(ledger.pages[index], spaces: ledger.spaces, pages: ledger.pages, body: true))
        }
    }
}
