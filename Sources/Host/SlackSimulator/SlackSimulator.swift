public import CasebookKit
import Foundation
import Hummingbird
public import Logging
import NIOCore
public import ServiceLifecycle
import Synchronization

/// An in-process Slack on 127.0.0.1 that speaks the real wire protocol: the Web API over HTTP,
/// Socket Mode over WebSocket, signed HTTP requests to an app, and `response_url`s
/// (reference/slack.md §1–§5). Tests and `casebook playground` act as Slack's users through it
/// and inspect what the app did.
///
/// Run it as a `Service` (``run()``) or scoped with ``withRunning(_:clock:_:)``; its URLs are
/// valid once ``waitUntilRunning()`` has returned.
public final class SlackSimulator: Service, Sendable {
    public let logger: Logger
    let store: SimulatorStore
    let clock: any WallClock
    let faults = FaultPlan()
    let tiers: RateTiers
    let callLog = CallLog()
    let hub: SocketHub
    let ackTimeout: Duration
    let autoPing: Duration?
    private let readiness = Mutex<Readiness>(Readiness())
    let lastRendering = Mutex<Rendering?>(nil)
    /// Where `apps.connections.open` points instead of the built-in listener (see ``handOutSockets(at:)``).
    private let socketServer = Mutex<String?>(nil)

    private struct Readiness {
        var port: Int?
        var socketPort: Int?
        var failure: String?
        var waiters: [CheckedContinuation<Int, any Error>] = []
    }

    /// - Parameters:
    ///   - workspace: the starting state; ``Workspace/seeded(botToken:appToken:signingSecret:grantedScopes:)`` by default.
    ///   - clock: the clock for trigger-id expiry, `response_url` lifetime, timestamps and signatures.
    ///   - ackTimeout: how long ``deliver(_:payload:retryAttempt:retryReason:acceptsResponsePayload:timeout:)`` waits for an ack.
    ///   - maximumSockets: Slack's limit of concurrent Socket Mode connections per app.
    ///   - autoPing: the interval of server WebSocket pings (Slack pings; nil disables).
    public init(
        workspace: Workspace = .seeded(), clock: any WallClock = SystemClock(), ackTimeout: Duration = .seconds(3),
        maximumSockets: Int = 10, autoPing: Duration? = .seconds(15), logger: Logger = Logger(label: "slack-simulator")
    ) {
        self.store = SimulatorStore(workspace: workspace)
        self.clock = clock
        self.tiers = RateTiers(clock: clock)
        self.ackTimeout = ackTimeout
        self.autoPing = autoPing
        self.logger = logger
        self.hub = SocketHub(appID: workspace.appID, maximumConnections: maximumSockets)
    }

    /// Starts a simulator, waits until it listens, runs `body`, then shuts it down (gracefully,
    /// falling back to cancellation after `shutdownGrace`).
    public static func withRunning<T>(
        _ workspace: Workspace = .seeded(), clock: any WallClock = SystemClock(), shutdownGrace: Duration = .seconds(2),
        _ body: (SlackSimulator) async throws -> T
    ) async throws -> T {
        let simulator = SlackSimulator(workspace: workspace, clock: clock)
        let services = ServiceGroup(configuration: .init(services: [simulator], logger: simulator.logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            func stop() async {
                await services.triggerGracefulShutdown()
                group.addTask {
                    try await Task.sleep(for: shutdownGrace)
                    throw CancellationError()
                }
                _ = try? await group.next()
                group.cancelAll()
            }
            do {
                _ = try await simulator.waitUntilRunning()
                let result = try await body(simulator)
                await stop()
                return result
            } catch {
                await stop()
                throw error
            }
        }
    }

    // MARK: Lifecycle

    public func run() async throws {
        let endpoint = makeEndpoint()
        do {
            // Sockets are served from their own listener, as Slack serves them from another host.
            let sockets = try await SocketListener.bind(hub: hub, store: store, autoPing: autoPing)
            let routes = SimulatorRouter(endpoint: endpoint, store: store, clock: clock)
            let app = Application(
                router: routes.build(),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "slack-simulator"),
                onServerRunning: { [self] channel in markRunning(port: channel.localAddress?.port ?? 0, socketPort: sockets.port) },
                logger: logger)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { [hub] in await hub.run() }
                    try await app.run()
                    group.cancelAll()
                }
            } catch {
                await sockets.stop(hub)
                throw error
            }
            await sockets.stop(hub)
            markStopped("the simulator stopped")
        } catch {
            markStopped("the simulator failed: \(error)")
            throw error
        }
    }

    func makeEndpoint() -> WebAPIEndpoint {
        WebAPIEndpoint(
            store: store, faults: faults, tiers: tiers, log: callLog, clock: clock,
            baseURL: { [weak self] in self?.baseURL ?? "" }, socketBaseURL: { [weak self] in self?.socketBaseURL ?? "" })
    }

    private func markRunning(port: Int, socketPort: Int) {
        let waiters = readiness.withLock { state in
            state.port = port
            state.socketPort = socketPort
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func markStopped(_ reason: String) {
        let waiters = readiness.withLock { state in
            state.failure = reason
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: SimulatorError(reason)) }
    }

    /// Waits until both listeners (Web API and Socket Mode) listen; returns the Web API's port.
    @discardableResult
    public func waitUntilRunning() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<Int, SimulatorError>? = readiness.withLock { state in
                if let port = state.port { return .success(port) }
                if let failure = state.failure { return .failure(SimulatorError(failure)) }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// The Web API's listening port (nil before the server runs).
    public var port: Int? { readiness.withLock { $0.port } }
    /// The Socket Mode listener's port, another than the Web API's (nil before the server runs).
    public var socketPort: Int? { readiness.withLock { $0.socketPort } }
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port ?? 0)" }
    /// The Web API base, `http://127.0.0.1:PORT/api/` (the value for `SLACK_API_URL`).
    public var apiURL: String { baseURL + "/api/" }
    /// `ws://127.0.0.1:PORT` of the Socket Mode listener (its own port, as Slack serves sockets
    /// from another host than the Web API).
    var socketBaseURL: String { socketServer.withLock { $0 } ?? "ws://127.0.0.1:\(socketPort ?? 0)" }

    /// Makes `apps.connections.open` hand out URLs on another Socket Mode server (`ws://host:port`),
    /// or this simulator's own listener again when nil. The benchmark uses it to put a load
    /// generator that costs next to nothing in Slack's place, because Slack's side shares the
    /// machine's cores with the host there; such a server sees tickets it cannot check.
    public func handOutSockets(at baseURL: String?) {
        socketServer.withLock { $0 = baseURL }
    }

    // MARK: Credentials and scopes

    /// The workspace's identity and credentials as configured (people and channels as seeded).
    public var workspace: Workspace { store.withState { $0.workspace } }
    public var botToken: String { workspace.botToken }
    public var appToken: String { workspace.appToken }
    public var signingSecret: String { workspace.signingSecret }
    public var teamID: String { workspace.teamID }
    public var botUserID: String { workspace.botUserID }

    /// Sets the bot scopes granted at installation (e.g. from the rendered manifest); nil grants all.
    public func grantScopes(_ scopes: Set<String>?) {
        store.withState { $0.grantedScopes = scopes }
    }

    public var grantedScopes: Set<String>? { store.withState { $0.grantedScopes } }

    /// Whether the installed manifest enables the Home tab (`features.app_home.home_tab_enabled`):
    /// with false, `views.publish` of a home view answers `not_enabled` as Slack does; nil allows it.
    public func enableHomeTab(_ enabled: Bool?) {
        store.withState { $0.homeTabEnabled = enabled }
    }

    /// How long trigger ids stay valid (Slack: 3 s, the default). A test harness on a loaded
    /// machine lengthens it, as it lengthens the ack wait: it tests behaviour, not speed.
    public func setTriggerLifetime(_ lifetime: TimeInterval) {
        store.withState { $0.triggerLifetime = lifetime }
    }

    // MARK: Faults

    /// Delays every call of `method` (every method when nil) before it is answered.
    public func setLatency(_ latency: Duration?, for method: String? = nil) {
        faults.setLatency(latency, for: method ?? FaultPlan.everyMethod)
    }

    /// Holds calls of `methods` until `count` of them are in flight together, then answers them
    /// all, once. Shows that an app makes calls concurrently: calls made one after another never
    /// gather, and each is answered after waiting `timeout`. ``clearFaults()`` ends it.
    public func gatherCalls(to methods: Set<String>, count: Int, timeout: Duration = .seconds(10)) {
        faults.gathering.gather(methods, count: count, timeout: timeout)
    }

    /// The next `count` calls of `method` (every method when nil) answer HTTP 429 with
    /// `Retry-After: retryAfter` and `{"ok":false,"error":"ratelimited"}`.
    public func rateLimit(_ method: String?, next count: Int = 1, retryAfter: Int = 1) {
        faults.rateLimit(method ?? FaultPlan.everyMethod, count: count, retryAfter: retryAfter)
    }

    /// The next `count` calls of `method` (every method when nil) answer with HTTP `status`.
    public func failWithServerError(_ method: String?, next count: Int = 1, status: Int = 503) {
        faults.serverError(method ?? FaultPlan.everyMethod, count: count, status: status)
    }

    /// The next `count` calls of `method` (every method when nil) are performed, then answered with
    /// HTTP 503: an ambiguous failure, as when Slack's response is lost after it stored a message.
    public func loseResponses(_ method: String?, next count: Int = 1) {
        faults.loseResponses(method ?? FaultPlan.everyMethod, count: count)
    }

    /// Enforces Slack's per-method rate tiers (per minute) and `chat.postMessage`'s one message a
    /// second per channel after a burst of six; off by default.
    public func enforceRateTiers(_ enabled: Bool) {
        tiers.setEnabled(enabled)
    }

    public func clearFaults() {
        faults.clear()
        tiers.setEnabled(false)
    }
}
