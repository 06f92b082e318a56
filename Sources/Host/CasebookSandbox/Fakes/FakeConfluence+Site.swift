import CasebookKit
import Foundation
import Synchronization

extension FakeConfluence {
    /// What the fake knows (spaces, credentials) and what happened to it. Routes hold the site, not
    /// the ``FakeConfluence``, so the service does not keep its owner alive.
    final class Site: Sendable {
        let siteName: String
        let credentials: [String: String]
        let now: @Sendable () -> Date
        let ledger: Mutex<Ledger>

        /// Confluence refuses bodies over 5 MB (5,242,880 bytes) with 413.
        static let maximumBody = 5_242_880

        struct Ledger {
            var spaces: [Space]
            var pages: [Page]
            var nextID = 131_073
        }

        init(siteName: String, credentials: [String: String], spaces: [Space], pages: [Page], now: @escaping @Sendable () -> Date) {
            self.siteName = siteName
            self.credentials = credentials
            self.now = now
            ledger = Mutex(Ledger(spaces: spaces, pages: pages))
        }

        var publicBase: String { "https://\(siteName).atlassian.net/wiki" }

        /// `/spaces/ENG/pages/131073/Title+of+the+page`, as Confluence links a page.
        func webui(_ page: Page) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let slug = page.title.split(separator: " ").map { String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
                .joined(separator: "+")
            return "/spaces/\(page.spaceKey)/pages/\(page.id)/\(slug)"
        }

        /// Basic auth with a known `email:token`; the v1 401 body otherwise.
        func authorized(_ request: FakeRequest, _ handler: (FakeRequest) -> FakeResponse) -> FakeResponse {
            guard let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
                  let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
                  credentials[String(pair[..<colon])] == String(pair[pair.index(after: colon)...])
            else {
                return Self.v1Error(401, authorized: false, errors: ["AUTHENTICATION_DENIED"], message: "Current user not permitted to use Confluence")
            }
            return handler(request)
        }

        /// The v1 error body: `{statusCode, data: {authorized, valid, errors, successful}, message}`.
        static func v1Error(_ status: Int, authorized: Bool = true, errors: [String] = [], message: String) -> FakeResponse {
            .json([
                "statusCode": .number(Double(status)),
                "data": ["authorized": .bool(authorized), "valid": .bool(status != 400), "errors": .array(errors.map(JSONValue.string)), "successful": false],
                "message": .string(message),
            ], status: status)
        }

        /// The v2 error body: `{errors: [{status, code, title, detail}]}`.
        static func v2Error(_ status: Int, code: String, title: String) -> FakeResponse {
            .json(["errors": [["status": .number(Double(status)), "code": .string(code), "title": .string(title), "detail": .null]]], status: status)
        }

        /// A page as v1 content.
        func content(_ page: Page, spaces: [Space], pages: [Page], body: Bool) -> JSONValue {
            let space = spaces.first { $0.key == page.spaceKey }
            var ancestors: [JSONValue] = []
            var parent = page.parentID
            while let id = parent, let found = pages.first(where: { $0.id == id }) {
                ancestors.insert(["id": .string(found.id), "type": "page", "status": "current", "title": .string(found.title)], at: 0)
                parent = found.parentID
            }
            var object: [String: JSONValue] = [
                "id": .string(page.id), "type": "page", "status": "current", "title": .string(page.title),
                "space": ["id": .number(Double(space?.id ?? "0") ?? 0), "key": .string(page.spaceKey), "name": .string(space?.name ?? page.spaceKey)],
                "version": ["number": .number(Double(page.version)), "when": .string(SlackText.utc(page.createdAt))],
                "ancestors": .array(ancestors),
                "_links": [
                    "webui": .string(webui(page)), "self": .string("\(publicBase)/rest/api/content/\(page.id)"),
                    "tinyui": .string("/x/\(page.id)"), "editui": .string("/pages/resumedraft.action?draftId=\(page.id)"),
                ],
            ]
            if body { object["body"] = ["storage": ["value": .string(page.body), "representation": "storage"]] }
            return .object(object)
        }

        func register(_ service: FakeService) {
            let routes: [(String, String, @Sendable (FakeRequest) -> FakeResponse)] = [
                ("GET", "/wiki/rest/api/content", { [self] in search($0) }),
                ("POST", "/wiki/rest/api/content", { [self] in create($0) }),
                ("POST", "/wiki/rest/api/content/", { [self] in create($0) }),
                ("GET", "/wiki/rest/api/content/:id", { [self] in read($0) }),
                ("PUT", "/wiki/rest/api/content/:id", { [self] in update($0) }),
                ("GET", "/wiki/api/v2/spaces", { [self] in spacesV2($0) }),
                ("GET", "/wiki/api/v2/pages", { [self] in pagesV2($0) }),
                ("POST", "/wiki/api/v2/pages", { [self] in createV2($0) }),
            ]
            for (method, path, handler) in routes {
                service.route(method, path) { [self] request in authorized(request, handler) }
            }
        }
    }
}
