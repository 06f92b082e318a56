public import Foundation
import Synchronization
public import Logging

/// Atlassian Statuspage's management API v1 (`https://api.statuspage.io/v1`) on a local service,
/// for one page. It follows the checklist of reference/integrations.md §2: `OAuth` header or
/// `?api_key=`, 401/404/422 shapes, 201 with a full incident (12-character id, `shortlink`,
/// `incident_updates`, component changes applied to the page), PATCH/PUT updates, paginated
/// components, unresolved incidents, JSON or form-encoded bodies, `.json` suffixes, and the
/// per-token limiter (off unless a test switches it on).
public final class FakeStatuspage: Sendable {
    public let service: FakeService
    let account: Account

    public init(
        pageID: String, apiKeys: Set<String>, components: [Component],
        logger: Logger = Logger(label: "casebook.fake.statuspage"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        account = Account(pageID: pageID, apiKeys: apiKeys, components: components, now: now)
        service = FakeService(name: "statuspage", logger: logger)
        account.register(service)
    }

    public func start() async throws { try await service.start() }
    public func stop() async { await service.stop() }

    public var baseURL: String { service.baseURL }
    public var pageID: String { account.pageID }
    public var apiKeys: Set<String> { account.apiKeys }

    /// Incidents in the order they were created.
    public var incidents: [Incident] { account.ledger.withLock { $0.incidents } }
    /// The page's components as they stand now (incident writes change their status).
    public var components: [Component] { account.ledger.withLock { $0.components } }

    /// The per-token limiter; nil (the default) admits everything. ``RateLimit/documented`` is
    /// Statuspage's own. Setting it starts counting afresh.
    public var rateLimit: RateLimit? {
        get { account.ledger.withLock { $0.rateLimit } }
        set {
            account.ledger.withLock { ledger in
                ledger.rateLimit = newValue
                ledger.limiter = newValue.map { SlidingWindowLimiter(limit: $0.requests, window: $0.window) }
            }
        }
    }

    /// Whether resolving an incident puts its components back to `operational` by itself. Off by
    /// default: clients such as incident-bot send `operational` explicitly (unverified for real Statuspage).
    public var resolvingResetsComponents: Bool {
        get { account.ledger.withLock { $0.resolvingResetsComponents } }
        set { account.ledger.withLock { $0.resolvingResetsComponents = newValue } }
    }

    /// Create (`POST`) requests answered 201, however many incidents they made.
    public var creates: Int { incidents.count }
    /// Every incident update written, in order, across incidents.
    public var updates: [IncidentUpdate] { incidents.flatMap(\.updates).sorted { $0.createdAt < $1.createdAt } }

    /// Forgets incidents and requests, and puts the components back as seeded.
    public func reset() {
        account.ledger.withLock { ledger in
            let (limit, resets) = (ledger.rateLimit, ledger.resolvingResetsComponents)
            ledger = Account.Ledger(components: account.seededComponents)
            ledger.rateLimit = limit
            ledger.limiter = limit.map { SlidingWindowLimiter(limit: $0.requests, window: $0.window) }
            ledger.resolvingResetsComponents = resets
        }
        service.clearReceived()
    }
}
