public import CasebookKit
import Foundation
public import Logging
import Synchronization

/// Vendors' public status pages on one local service, per reference/integrations.md §3's
/// checklist: Statuspage-style pages (summary, status, components, incidents, unresolved,
/// scheduled maintenances, history.atom), Heroku's `/api/v4/current-status` and the Slack Status
/// API's `/api/v2.0.0/current` and `/history`, each with canned scenarios switchable at runtime.
///
/// In reality every provider has its own host; here each lives under a path prefix
/// (`<baseURL>/<name>/api/v2/summary.json`) — what the plugin's `base_url_override` points at —
/// or is selected by the `Host` header (its custom domain or `<page_id>.statuspage.io`).
/// Failure modes (5xx, slow, HTML, 404, malformed JSON) are ``FakeFault``s scoped to one
/// provider with ``fail(_:with:count:)``.
public final class FakeStatusPages: Sendable {
    /// Which API a fake page speaks.
    public enum API: String, Sendable { case statuspage, heroku, slack }

    /// What a page shows; each is internally consistent (the indicator is the worst of its
    /// components and incidents).
    public enum Scenario: String, Sendable, CaseIterable {
        case operational
        /// One component degraded, one `identified` incident (minor) with `affected_components`.
        case minorIncident = "minor_incident"
        /// Two components down, an `investigating` incident (major impact).
        case majorOutage = "major_outage"
        /// An in-progress scheduled maintenance, one component under maintenance.
        case maintenance
        /// All operational, but a resolved incident still listed (clients must drop it).
        case resolvedStillListed = "resolved_still_listed"
        /// An indicator no client knows (`elevated`), for tolerant parsing.
        case unknownIndicator = "unknown_indicator"
    }

    /// One provider's page.
    public struct Page: Sendable, Equatable {
        public var name: String
        public var title: String
        public var api: API
        /// Its custom domain (`www.githubstatus.com`), for `Host`-header selection.
        public var host: String
        /// Its Statuspage page id (12 characters), for `<id>.statuspage.io`.
        public var pageID: String

        public init(name: String, title: String? = nil, api: API = .statuspage, host: String? = nil, pageID: String? = nil) {
            self.name = name
            self.title = title ?? name.capitalized
            self.api = api
            self.host = host ?? "status.\(name).test"
            self.pageID = pageID ?? String((name + "000000000000").filter { $0.isLetter || $0.isNumber }.prefix(12)).lowercased()
        }
    }

    public let service: FakeService
    let board: Mutex<[String: Board]>
    let now: @Sendable () -> Date

    public init(pages: [Page], logger: Logger = Logger(label: "casebook.fake.status-pages"), now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
        let start = now()
        board = Mutex(Dictionary(pages.map { ($0.name, Board(page: $0, scenario: .operational, at: start)) }, uniquingKeysWith: { first, _ in first }))
        service = FakeService(name: "status-pages", logger: logger)
        service.route("GET", "/**") { [self] request in answer(request) }
        service.summarize = { request in "\(request.method) \(request.path)" }
    }

    public func start() async throws { try await service.start() }
    public func stop() async { await service.stop() }
    public var baseURL: String { service.baseURL }

    public var pages: [Page] { board.withLock { $0.values.map(\.page).sorted { $0.name < $1.name } } }

    /// Switches a provider's page to `scenario`. Incidents of the previous scenario that are not
    /// in the new one become resolved (listed in `incidents.json` and the history).
    public func set(_ scenario: Scenario, for provider: String) {
        let at = now()
        board.withLock { board in board[provider]?.apply(scenario, at: at) }
    }

    public func scenario(of provider: String) -> Scenario? {
        board.withLock { $0[provider]?.scenario }
    }

    /// Adds an update to the provider's first unresolved incident (the watch's "update" case).
    public func addUpdate(_ body: String, status: String = "monitoring", for provider: String) {
        let at = now()
        board.withLock { board in board[provider]?.addUpdate(body, status: status, at: at) }
    }

    /// The next `count` requests for this provider get `fault` instead of its page.
    public func fail(_ provider: String, with fault: FakeFault, count: Int = 1_000) {
        service.inject(fault, count: count) { request in request.path.hasPrefix("/\(provider)/") }
    }

    /// Requests this provider's pages received (prefix form).
    public func requests(for provider: String) -> [FakeRequest] {
        service.received.filter { $0.path.hasPrefix("/\(provider)/") }
    }

    /// Puts every page back to operational, with no history, and forgets requests and faults.
    public func reset() {
        let at = now()
        board.withLock { board in
            for name in board.keys { if let page = board[name]?.page { board[name] = Board(page: page, scenario: .operational, at: at) } }
        }
        service.clearFaults()
        service.clearReceived()
    }

    // MARK: Serving

    func answer(_ request: FakeRequest) -> FakeResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let (current, rest) = board.withLock { board -> (Board?, [String]) in
            if let first = segments.first, let page = board[first] { return (page, Array(segments.dropFirst())) }
            let host = (request.headers["host"] ?? "").split(separator: ":").first.map(String.init)?.lowercased() ?? ""
            let page = board.values.first { $0.page.host == host || "\($0.page.pageID).statuspage.io" == host }
            return (page, segments)
        }
        guard let current else { return .text("<html><body><h1>404 Not Found</h1></body></html>", status: 404, contentType: "text/html") }
        let path = rest.joined(separator: "/")
        let answer: FakeResponse? = switch current.page.api {
        case .statuspage: current.statuspage(path, now: now())
        case .heroku: path == "api/v4/current-status" ? .json(current.heroku()) : nil
        case .slack: path == "api/v2.0.0/current" ? .json(current.slackCurrent()) : path == "api/v2.0.0/history" ? .json(current.slackHistory()) : nil
        }
        return answer ?? .text("<html><body><h1>404 Not Found</h1></body></html>", status: 404, contentType: "text/html")
    }
}
