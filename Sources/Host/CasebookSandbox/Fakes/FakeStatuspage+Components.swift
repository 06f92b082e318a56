import CasebookKit
import Foundation
import Synchronization

/// `GET /pages/{page_id}/components`: a bare array, always paginated (`page` from 1, `per_page`
/// default and maximum 100), statuses as incident writes left them (§2.3).
extension FakeStatuspage.Account {
    static let maximumPerPage = 100

    func listComponents(_ request: FakeRequest) -> FakeResponse {
        let page = request.queryValues("page").last.flatMap(Int.init) ?? 1
        let perPage = request.queryValues("per_page").last.flatMap(Int.init) ?? Self.maximumPerPage
        guard page >= 1, perPage >= 1 else { return Self.invalid(["page and per_page must be positive integers"]) }
        let size = min(perPage, Self.maximumPerPage)
        let components = ledger.withLock { $0.components }
        let shown = components.enumerated().dropFirst((page - 1) * size).prefix(size)
        return .json(.array(shown.map { componentJSON($0.element, position: $0.offset + 1) }))
    }

    func componentJSON(_ component: FakeStatuspage.Component) -> JSONValue {
        let position = ledger.withLock { $0.components.firstIndex { $0.id == component.id } } ?? 0
        return componentJSON(component, position: position + 1)
    }

    func componentJSON(_ component: FakeStatuspage.Component, position: Int) -> JSONValue {
        [
            "id": .string(component.id), "page_id": .string(pageID), "group_id": component.groupID.map(JSONValue.string) ?? .null,
            "group": false, "name": .string(component.name), "description": component.description.map(JSONValue.string) ?? .null,
            "position": .number(Double(position)), "status": .string(component.status), "showcase": true,
            "only_show_if_degraded": false, "automation_email": .string("component+\(component.id)@notifications.statuspage.io"),
            "start_date": .null,
        ]
    }
}
