import CasebookKit
import Foundation

/// `GET /services` and `GET /services/{id}` (REST API v2): how a bot finds the service a person
/// names. `query` filters by name as PagerDuty does (case-insensitive substring); classic
/// pagination applies; each service carries its escalation policy reference.
extension FakePagerDuty.Account {
    func register(services rest: FakeService) {
        rest.route("GET", "/services") { [self] request in authenticated(request) { listServices($0) } }
        rest.route("GET", "/services/:id") { [self] request in authenticated(request) { service($0) } }
    }

    func listServices(_ request: FakeRequest) -> FakeResponse {
        let page: Page
        do {
            page = try Page(request)
        } catch {
            return Self.error(400, "Invalid Input Provided", code: 2001, errors: [error.message])
        }
        let query = request.queryValues("query").last?.lowercased() ?? ""
        let matching = services.filter { query.isEmpty || $0.name.lowercased().contains(query) }
        let shown = matching.dropFirst(page.offset).prefix(page.limit)
        return .json([
            "services": .array(shown.map(serviceJSON)),
            "limit": .number(Double(page.limit)), "offset": .number(Double(page.offset)),
            "more": .bool(page.offset + shown.count < matching.count),
            "total": page.wantsTotal ? .number(Double(matching.count)) : .null,
        ])
    }

    func service(_ request: FakeRequest) -> FakeResponse {
        guard let id = request.pathParameters["id"], let service = services.first(where: { $0.id == id }) else {
            return Self.error(404, "Not Found", code: 2100)
        }
        return .json(["service": serviceJSON(service)])
    }

    private func serviceJSON(_ service: FakePagerDuty.Service) -> JSONValue {
        [
            "id": .string(service.id), "type": "service", "name": .string(service.name), "summary": .string(service.name),
            "status": "active", "self": .string("\(FakePagerDuty.apiURL)/services/\(service.id)"),
            "html_url": .string("\(FakePagerDuty.webURL)/service-directory/\(service.id)"),
            "escalation_policy": Self.reference("escalation_policy", service.escalationPolicy.id, service.escalationPolicy.name, path: "escalation_policies"),
        ]
    }
}
