public import Foundation
import Synchronization
public import Logging

/// Linear's GraphQL API (`POST https://api.linear.app/graphql`) on a local service, for one
/// workspace. It follows the checklist of reference/integrations.md §5: one `/graphql` endpoint;
/// `Authorization: <API key>` or `Bearer <OAuth token>` (a `Bearer` API key and a missing header
/// are authentication errors, HTTP 400 by default); operations parsed and their selections checked
/// against the schema; `issueCreate` input coerced against `IssueCreateInput`, then checked
/// (team, title, priority 0–4, labels, project, a client-chosen UUID that may not be reused);
/// only the requested fields answered; rate-limit headers on every response and `RATELIMITED`
/// as HTTP 400 (or a plain 429) when the budget is spent; user errors with HTTP 200.
public final class FakeLinear: Sendable {
    public let service: FakeService
    let workspace: Workspace

    public init(
        organization: String, apiKeys: Set<String>, oauthTokens: Set<String> = [], viewer: User, teams: [Team], labels: [Label] = [],
        projects: [Project] = [], logger: Logger = Logger(label: "casebook.fake.linear"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        workspace = Workspace(
            organization: organization, apiKeys: apiKeys, oauthTokens: oauthTokens, viewer: viewer, teams: teams, labels: labels, projects: projects,
            now: now)
        service = FakeService(name: "linear", logger: logger)
        workspace.register(service)
        service.summarize = { request in FakeLinear.summary(of: request) }
    }

    public func start() async throws { try await service.start() }
    public func stop() async { await service.stop() }

    /// `http://127.0.0.1:<port>/graphql`, what `api_url` is pointed at.
    public var graphQLURL: String { service.baseURL + "/graphql" }
    public var teams: [Team] { workspace.teams }
    public var labels: [Label] { workspace.labels }
    public var projects: [Project] { workspace.projects }

    /// Issues in the order they were created.
    public var issues: [Issue] { workspace.ledger.withLock { $0.issues } }
    /// `issueCreate` calls that created an issue.
    public var creates: Int { issues.count }
    /// The `issueCreate` requests received, whatever their answer.
    public var createRequests: [FakeRequest] {
        service.received.filter { String(decoding: $0.body, as: UTF8.self).contains("issueCreate") }
    }

    /// The request budget per credential; Linear's observed hourly budget by default. Setting it
    /// starts counting afresh.
    public var rateLimit: RateLimit {
        get { workspace.ledger.withLock { $0.rateLimit } }
        set {
            workspace.ledger.withLock { ledger in
                ledger.rateLimit = newValue
                ledger.limiter = SlidingWindowLimiter(limit: newValue.requests, window: newValue.window)
            }
        }
    }

    /// Refuses every request with `RATELIMITED` until `now + duration` (the reset headers say when),
    /// as if the budget had been spent elsewhere.
    public func exhaustBudget(for duration: TimeInterval) {
        let until = workspace.clock().addingTimeInterval(duration)
        workspace.ledger.withLock { $0.exhaustedUntil = until }
    }

    /// The HTTP status of an authentication error: 400 (default) or 401, both observed.
    public var authenticationErrorStatus: Int {
        get { workspace.ledger.withLock { $0.authenticationErrorStatus } }
        set { workspace.ledger.withLock { $0.authenticationErrorStatus = newValue } }
    }

    /// The fake's clock (rate-limit windows and resets, `createdAt`); tests point it at the host's.
    public var now: @Sendable () -> Date {
        get { workspace.clock }
        set { workspace.ledger.withLock { $0.now = newValue } }
    }

    /// Forgets issues, requests and spent budgets.
    public func reset() {
        workspace.ledger.withLock { ledger in
            ledger.issues = []
            ledger.lastSyncID = 1_000
            ledger.exhaustedUntil = nil
            ledger.limiter = SlidingWindowLimiter(limit: ledger.rateLimit.requests, window: ledger.rateLimit.window)
        }
        service.clearReceived()
    }

    /// `POST /graphql mutation issueCreate` for the call log (never the key, never the body).
    static func summary(of request: FakeRequest) -> String {
        guard let query = request.json?["query"]?.string, let operation = try? GraphQL.parse(query).first else { return request.line }
        let fields = operation.selections.map(\.name).joined(separator: ", ")
        return "\(request.line) \(operation.kind) \(fields)"
    }
}

extension FakeLinear {
    /// What the fake knows (keys, teams, labels, projects) and what happened to it. Routes hold the
    /// workspace, not the ``FakeLinear``, so the service does not keep its owner alive.
    final class Workspace: Sendable {
        let organization: String
        let apiKeys: Set<String>
        let oauthTokens: Set<String>
        let viewer: User
        let teams: [Team]
        let labels: [Label]
        let projects: [Project]
        let ledger: Mutex<Ledger>

        struct Ledger {
            var issues: [Issue] = []
            var lastSyncID = 1_000
            var rateLimit = RateLimit.documented
            var limiter = SlidingWindowLimiter(limit: RateLimit.documented.requests, window: RateLimit.documented.window)
            var exhaustedUntil: Date?
            var authenticationErrorStatus = 400
            var now: @Sendable () -> Date
        }

        init(
            organization: String, apiKeys: Set<String>, oauthTokens: Set<String>, viewer: User, teams: [Team], labels: [Label],
            projects: [Project], now: @escaping @Sendable () -> Date
        ) {
            self.organization = organization
            self.apiKeys = apiKeys
            self.oauthTokens = oauthTokens
            self.viewer = viewer
            self.teams = teams
            self.labels = labels
            self.projects = projects
            self.ledger = Mutex(Ledger(now: now))
        }

        var clock: @Sendable () -> Date { ledger.withLock { $0.now } }

        func register(_ service: FakeService) {
            service.route("POST", "/graphql") { [self] request in answer(request) }
        }
    }
}
