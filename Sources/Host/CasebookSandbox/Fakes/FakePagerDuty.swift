public import Foundation
public import Logging
import Synchronization

/// PagerDuty as an integration sees it, on two local services: ``events`` stands in for
/// `https://events.pagerduty.com` (alert and change events) and ``rest`` for
/// `https://api.pagerduty.com` (on-calls, users, incidents). It follows the checklist of
/// reference/integrations.md §1 — validation messages, dedup folding, auth, pagination, rate
/// limits — so a client that passes here has met what PagerDuty is documented or observed to do.
/// Faults beyond PagerDuty's own (bare 429s, 5xx, resets) are injected on the services.
public final class FakePagerDuty: Sendable {
    /// Where alert and change events go (`/v2/enqueue`, `/v2/change/enqueue`).
    public let events: FakeService
    /// The REST API v2.
    public let rest: FakeService
    let account: Account

    /// Hosts that appear inside answers (`self`, `html_url`), as PagerDuty writes them.
    static let apiURL = "https://api.pagerduty.com"
    static let webURL = "https://casebook-sim.pagerduty.com"
    /// PagerDuty's documented per-key budgets.
    public static let eventsPerMinute = 120
    public static let restRequestsPerMinute = 960

    /// - Parameter now: the clock `since`/`until` default to and rate limits count with.
    public init(
        routingKeys: Set<String>, apiTokens: Set<String>, users: [User], services: [Service], oncalls: [OnCall],
        logger: Logger = Logger(label: "casebook.fake.pagerduty"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        account = Account(routingKeys: routingKeys, apiTokens: apiTokens, users: users, services: services, oncalls: oncalls, now: now)
        events = FakeService(name: "pagerduty", logger: logger)
        rest = FakeService(name: "pagerduty-api", logger: logger)
        account.register(events: events)
        account.register(rest: rest)
    }

    /// Starts both services; stops the first if the second cannot start.
    public func start() async throws {
        try await events.start()
        do {
            try await rest.start()
        } catch {
            await events.stop()
            throw error
        }
    }

    public func stop() async {
        await events.stop()
        await rest.stop()
    }

    /// The known integration keys and API tokens, e.g. for a test's configuration.
    public var routingKeys: Set<String> { account.routingKeys }
    public var apiTokens: Set<String> { account.apiTokens }
    public var users: [User] { account.users }
    public var services: [Service] { account.services }
    public var oncalls: [OnCall] { account.oncalls }

    /// Alert events answered 202, in order.
    public var acceptedEvents: [AcceptedEvent] { account.ledger.withLock { $0.acceptedEvents } }
    /// Change events answered 202, in order.
    public var changeEvents: [ChangeEvent] { account.ledger.withLock { $0.changeEvents } }
    /// Alerts in the order they were opened; a resolved alert stays, a new trigger opens another.
    public var alerts: [Alert] { account.ledger.withLock { $0.alerts } }
    /// Incidents created with `POST /incidents`.
    public var incidents: [Incident] { account.ledger.withLock { $0.incidents } }

    /// Events per routing key per sliding minute; nil (the default) admits everything.
    /// PagerDuty's documented limit is ``eventsPerMinute``.
    public var eventRateLimit: Int? {
        get { account.ledger.withLock { $0.eventLimiter?.limit } }
        set { account.ledger.withLock { $0.eventLimiter = newValue.map { SlidingWindowLimiter(limit: $0) } } }
    }

    /// REST requests per token per sliding minute (default ``restRequestsPerMinute``); over it
    /// answers 429 code 2020. Setting it starts counting afresh.
    public var restRateLimit: Int {
        get { account.ledger.withLock { $0.restLimiter.limit } }
        set { account.ledger.withLock { $0.restLimiter = SlidingWindowLimiter(limit: newValue) } }
    }

    /// Forgets events, alerts and incidents (and what the services received); keeps the directory.
    public func reset() {
        account.ledger.withLock { ledger in
            let (eventLimit, restLimit) = (ledger.eventLimiter?.limit, ledger.restLimiter.limit)
            ledger = Account.Ledger()
            ledger.eventLimiter = eventLimit.map { SlidingWindowLimiter(limit: $0) }
            ledger.restLimiter = SlidingWindowLimiter(limit: restLimit)
        }
        events.clearReceived()
        rest.clearReceived()
    }
}
