public import Foundation
import Synchronization
public import Logging

/// Confluence Cloud's REST API under `/wiki` on a local service, for the RCA pages. It follows the
/// checklist of reference/integrations.md §4: HTTP Basic with a known `email:token` (401 with the
/// v1 error body otherwise); v1 content search by `spaceKey`/`title`/`type` (exact title, empty
/// `results` when none); v1 create (with and without a trailing slash) answering **200** with `id`,
/// `version.number = 1`, `_links.base` and `_links.webui`, 403 for an unknown space or one without
/// add permission, 404 for an unknown ancestor, 400 with the real duplicate-title message, 413 over
/// 5 MB, and 400 for a storage body that is not well-formed (``StorageFormat``); v1 read and
/// versioned update; v2 spaces and pages. 429/503 come from ``FakeService/inject(_:count:when:)``.
public final class FakeConfluence: Sendable {
    public let service: FakeService
    let site: Site

    public init(
        siteName: String, credentials: [String: String], spaces: [Space], pages: [Page] = [],
        logger: Logger = Logger(label: "casebook.fake.confluence"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        site = Site(siteName: siteName, credentials: credentials, spaces: spaces, pages: pages, now: now)
        service = FakeService(name: "confluence", logger: logger)
        site.register(service)
        service.summarize = { request in
            guard request.method == "POST", let title = request.json?["title"]?.string else { return request.line }
            return "\(request.line) \"\(title)\""
        }
    }

    public func start() async throws { try await service.start() }
    public func stop() async { await service.stop() }

    /// The base a client is configured with: `http://127.0.0.1:<port>/wiki`.
    public var wikiURL: String { service.baseURL + "/wiki" }
    /// What the real site calls its base in answers (`https://<site>.atlassian.net/wiki`).
    public var publicBase: String { site.publicBase }

    /// Every page, in the order created (seeded ones first).
    public var pages: [Page] { site.ledger.withLock { $0.pages } }
    /// Pages created through the API (not seeded).
    public var created: [Page] { pages.filter { !$0.seeded } }
    public var spaces: [Space] { site.ledger.withLock { $0.spaces } }

    /// The full URL of a page, as a client builds it from `_links.base + _links.webui`.
    public func url(of page: Page) -> String { site.publicBase + site.webui(page) }

    /// Adds or replaces a space (e.g. to take away add permission mid-test).
    public func put(_ space: Space) {
        site.ledger.withLock { ledger in
            ledger.spaces.removeAll { $0.key == space.key }
            ledger.spaces.append(space)
        }
    }

    /// Adds a page as if someone had created it in Confluence.
    public func seed(_ page: Page) {
        site.ledger.withLock { $0.pages.append(page) }
    }

    /// Deletes a page (e.g. the parent, to see a 404).
    public func remove(pageTitled title: String, in space: String) {
        site.ledger.withLock { $0.pages.removeAll { $0.title == title && $0.spaceKey == space } }
    }
}

extension FakeConfluence: IntegrationFake {
    public var pluginID: String { "confluence" }
    public var configOverrides: [String: String] { ["base_url": wikiURL] }
    public var fakeServices: [FakeService] { [service] }
}
