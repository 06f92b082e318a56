import CasebookKit
import Foundation
import Synchronization

/// The v2 API's spaces and pages (`/wiki/api/v2/…`): `spaceId` instead of keys, `{errors: […]}`
/// bodies, and 200 PageSingle answers without `_links.base`.
extension FakeConfluence.Site {
    /// `GET /wiki/api/v2/spaces?keys=ENG,OPS`.
    func spacesV2(_ request: FakeRequest) -> FakeResponse {
        let keys = Set(request.queryValues("keys").flatMap { $0.split(separator: ",").map(String.init) })
        let spaces = ledger.withLock { $0.spaces }.filter { keys.isEmpty || keys.contains($0.key) }
        return .json([
            "results": .array(spaces.map { ["id": .string($0.id), "key": .string($0.key), "name": .string($0.name), "type": "global", "status": "current"] }),
            "_links": [:],
        ])
    }

    /// `GET /wiki/api/v2/pages?space-id=…&title=…`.
    func pagesV2(_ request: FakeRequest) -> FakeResponse {
        let spaceIDs = Set(request.queryValues("space-id").flatMap { $0.split(separator: ",").map(String.init) })
        let title = request.queryValues("title").last
        let (spaces, pages) = ledger.withLock { ($0.spaces, $0.pages) }
        let found = pages.filter { page in
            let spaceID = spaces.first { $0.key == page.spaceKey }?.id ?? ""
            return (spaceIDs.isEmpty || spaceIDs.contains(spaceID)) && (title.map { page.title == $0 } ?? true)
        }
        return .json(["results": .array(found.map { pageSingle($0, spaces: spaces) }), "_links": [:]])
    }

    /// `POST /wiki/api/v2/pages`: `spaceId` required; without `parentId` the page goes under the space.
    func createV2(_ request: FakeRequest) -> FakeResponse {
        guard request.body.count <= Self.maximumBody else { return Self.v2Error(413, code: "REQUEST_TOO_LARGE", title: "Request too large") }
        guard let json = request.json, let spaceID = json["spaceId"]?.string else {
            return Self.v2Error(400, code: "INVALID_REQUEST_PARAMETER", title: "Provided value {null} for 'spaceId' is not the correct type. Expected type is Long")
        }
        guard let title = json["title"]?.string, !title.isEmpty else {
            return Self.v2Error(400, code: "INVALID_REQUEST_PARAMETER", title: "Title is required for a page that is not a draft")
        }
        let value = json["body"]?["value"]?.string ?? ""
        if json["body"]?["representation"]?.string == "storage", let problem = StorageFormat.problem(in: value) {
            return Self.v2Error(400, code: "INVALID_REQUEST_PARAMETER", title: "Error parsing xhtml: \(problem)")
        }
        let parent = json["parentId"]?.string
        return ledger.withLock { ledger -> FakeResponse in
            guard let space = ledger.spaces.first(where: { $0.id == spaceID }), space.canAdd else {
                return Self.v2Error(404, code: "NOT_FOUND", title: "Space not found or no permission to add pages")
            }
            if let parent, !ledger.pages.contains(where: { $0.id == parent && $0.spaceKey == space.key }) {
                return Self.v2Error(404, code: "NOT_FOUND", title: "Parent page not found")
            }
            guard !ledger.pages.contains(where: { $0.spaceKey == space.key && $0.title == title }) else {
                return Self.v2Error(400, code: "INVALID_REQUEST_PARAMETER", title: "A page with this title already exists: A page already exists with the title \(title) in the space with key \(space.key)")
            }
            let page = FakeConfluence.Page(
                id: String(ledger.nextID), spaceKey: space.key, title: title, parentID: parent, body: value, createdAt: now(), seeded: false)
            ledger.nextID += 1
            ledger.pages.append(page)
            return .json(pageSingle(page, spaces: ledger.spaces))
        }
    }

    func pageSingle(_ page: FakeConfluence.Page, spaces: [FakeConfluence.Space]) -> JSONValue {
        [
            "id": .string(page.id), "status": "current", "title": .string(page.title),
            "spaceId": .string(spaces.first { $0.key == page.spaceKey }?.id ?? ""), "parentId": page.parentID.map(JSONValue.string) ?? .null,
            "parentType": page.parentID == nil ? .null : "page", "createdAt": .string(SlackText.utc(page.createdAt)),
            "version": ["number": .number(Double(page.version)), "createdAt": .string(SlackText.utc(page.createdAt))],
            "_links": ["webui": .string(webui(page)), "editui": .string("/pages/resumedraft.action?draftId=\(page.id)"), "tinyui": .string("/x/\(page.id)")],
        ]
    }
}
