import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookStore
import Logging
import Prometheus
import ServiceLifecycle
import SlackSimulator
import Synchronization

/// The real Casebook host, with chosen plugins, running against the Slack simulator on a temporary
/// SQLite file and a manual clock: Errbot's `testbot`, with real Block Kit interactivity.
///
/// ```swift
/// try await SandboxHost.withRunning(plugins: [CasesPlugin.self], config: yaml) { host in
///     let reply = try await host.slash("open API latency up", as: "alice", in: "general")
///     #expect(reply?.text.contains("#case-api-") == true)
/// }
/// ```
/// Users and channels are named as in the simulator's seeded workspace (`alice`, `general`) or by id.
public final class SandboxHost: Sendable {
    public let simulator: SlackSimulator
    /// The test clock; ``advance(by:)`` moves it. Unused when the host runs in real time (playground).
    public let clock: ManualClock
    let realTime: Bool
    /// How long the host's dispatcher waits for a handler before acking without its reply.
    let ackBudget: Duration
    var hostClock: any WallClock { realTime ? SystemClock() : clock }
    public let transport: HostEnvironment.Transport
    /// Live (sockets, as deployed) or in-process (the dispatcher called directly); see ``Mode``.
    public let mode: Mode
    let plugins: [any Plugin.Type]
    let configurationText: String
    let environment: [String: String]
    /// Plugin config values set over the file's: the integrations' base URLs, pointed at their fakes.
    let overrides: [String: [String: String]]
    /// The host's `DATABASE_URL`, for a test that opens the same database as another process would.
    public let databaseURL: String
    let httpClient: HTTPClient
    let logger: Logger
    let launcher: AsyncStream<Launch>.Continuation
    /// How many hosts share this simulator and database (see ``withReplicas(_:plugins:config:environment:transport:workspace:logLevel:database:_:)``).
    let replicas: Int
    private let current = Mutex<Running?>(nil)
    /// In-process mode: the database outlives restarts (an in-memory one exists only while open).
    private let kept = Mutex<KeptDatabase?>(nil)

    struct KeptDatabase: Sendable {
        let database: Database
        let services: DatabaseServices?
    }

    struct Launch: Sendable {
        let group: ServiceGroup
        let finished: AsyncStream<Void>.Continuation
    }

    struct Running: Sendable {
        let app: CasebookApp
        let group: ServiceGroup
        let finished: AsyncStream<Void>
        /// The database's own services (PostgreSQL's connection pool); nil on SQLite.
        let database: DatabaseServices?
        let httpPort: Int?
    }

    /// Services a database needs running while it is used, started before the host boots.
    struct DatabaseServices: Sendable {
        let group: ServiceGroup
        let finished: AsyncStream<Void>

        func stop() async {
            await group.triggerGracefulShutdown()
            for await _ in finished {}
        }
    }

    /// Starts the simulator and the host, runs `body`, then stops both and deletes (or empties) the database.
    /// - Parameters:
    ///   - mode: ``Mode/live`` (default) or ``Mode/inProcess``, where a `.sqlite` database is in memory.
    ///   - config: `plugins.yaml` text; `${VAR}`s are filled from `environment`.
    ///   - transport: Socket Mode (default) or signed HTTP requests to `/slack/events`.
    ///   - database: SQLite (default; a new file live, a copy of a migrated template in memory in
    ///     process) or PostgreSQL (a reused database, emptied, migrated for `plugins`; see ``withDatabase(_:mode:plugins:logger:_:)``).
    public static func withRunning<T: Sendable>(
        _ mode: Mode = .live, plugins: [any Plugin.Type], config: String, environment: [String: String] = [:],
        transport: HostEnvironment.Transport = .socketMode, workspace: Workspace = .seeded(),
        logLevel: Logger.Level = .warning, realTime: Bool = false, database: SandboxDatabase.Backend = .sqlite,
        fakes: [any IntegrationFake] = [], logHandler: (@Sendable (String) -> any LogHandler)? = nil,
        ackBudget: Duration? = nil, _ body: @Sendable (SandboxHost) async throws -> T
    ) async throws -> T {
        let logger = {
            var logger = logHandler.map { Logger(label: "casebook.test", factory: $0) } ?? Logger(label: "casebook.test")
            logger.logLevel = logLevel
            return logger
        }()
        let mode = mode.overridden()
        return try await withDatabase(database, mode: mode, plugins: plugins, logger: logger) { databaseURL in
            try await withFakes(fakes) {
                try await withRunning(
                    mode: mode, plugins: plugins, config: config, environment: environment, transport: transport, workspace: workspace,
                    logger: logger, realTime: realTime, ackBudget: ackBudget ?? defaultAckBudget(realTime: realTime), databaseURL: databaseURL,
                    fakes: fakes, replicas: 1) { hosts in try await body(hosts[0]) }
            }
        }
    }

    /// Starts `count` hosts at once on one new database (PostgreSQL by default) and one simulator,
    /// as replicas of one deployment: they migrate concurrently, share the database and the
    /// simulator's workspace, and Slack spreads deliveries over all their sockets (round robin).
    /// They share one manual clock.
    public static func withReplicas<T: Sendable>(
        _ count: Int = 2, plugins: [any Plugin.Type], config: String, environment: [String: String] = [:],
        transport: HostEnvironment.Transport = .socketMode, workspace: Workspace = .seeded(), logLevel: Logger.Level = .warning,
        database: SandboxDatabase.Backend = .postgres, _ body: @Sendable ([SandboxHost]) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "casebook.test")
        logger.logLevel = logLevel
        return try await SandboxDatabase.with(database, logger: logger) { database in
            try await withRunning(
                mode: .live, plugins: plugins, config: config, environment: environment, transport: transport, workspace: workspace,
                logger: logger, realTime: false, ackBudget: defaultAckBudget(realTime: false), databaseURL: database.url, fakes: [],
                replicas: max(1, count), body)
        }
    }

    /// The playground's host acks as `serve` does (2 s). A test host waits longer for its handlers
    /// (Slack would have given up at 3 s): on a loaded CI machine a handler that is merely slow
    /// must still answer in the ack, so that what a test sees after `slash`/`click` returns does
    /// not depend on the machine's load. Tests of the budget itself pass `ackBudget`.
    static func defaultAckBudget(realTime: Bool) -> Duration { realTime ? .milliseconds(2000) : .seconds(10) }

    /// Starts `fakes`, runs `body`, stops them whatever happens.
    static func withFakes<T: Sendable>(_ fakes: [any IntegrationFake], _ body: () async throws -> T) async throws -> T {
        var started: [any IntegrationFake] = []
        do {
            for fake in fakes {
                try await fake.start()
                started.append(fake)
            }
            let result = try await body()
            for fake in started { await fake.stop() }
            return result
        } catch {
            for fake in started { await fake.stop() }
            throw error
        }
    }

    private static func withRunning<T: Sendable>(
        mode: Mode, plugins: [any Plugin.Type], config: String, environment: [String: String], transport: HostEnvironment.Transport,
        workspace: Workspace, logger: Logger, realTime: Bool, ackBudget: Duration, databaseURL: String, fakes: [any IntegrationFake],
        replicas: Int,
        _ body: @Sendable ([SandboxHost]) async throws -> T
    ) async throws -> T {
        // The harness waits for acks as long as it waits for anything else: the host's own ack
        // budget is proven by the dispatcher's tests and by bench/, and a loaded CI machine must
        // not turn scheduling delay into a failed behaviour test.
        let simulator = SlackSimulator(workspace: workspace, ackTimeout: .seconds(20), logger: logger)
        if !realTime { simulator.setTriggerLifetime(30) }
        let (launches, launcher) = AsyncStream.makeStream(of: Launch.self)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let simulatorGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [simulator], logger: logger))
            let result = try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
                // In-process, Slack is never listening: the host reaches its handlers directly.
                if mode == .live { group.addTask { try await simulatorGroup.run() } }
                group.addTask {
                    // Runs what each launch of the host starts (its database's services, then the
                    // host); a restart is a new launch.
                    await withDiscardingTaskGroup { runs in
                        for await launch in launches {
                            runs.addTask {
                                do { try await launch.group.run() } catch { logger.error("test host stopped with an error", metadata: ["error": "\(error)"]) }
                                launch.finished.yield()
                                launch.finished.finish()
                            }
                        }
                    }
                }
                if mode == .live { _ = try await simulator.waitUntilRunning() }
                let overrides = Dictionary(fakes.map { ($0.pluginID, $0.configOverrides) }, uniquingKeysWith: { $0.merging($1) { _, new in new } })
                let clock = ManualClock()
                let hosts = (0..<replicas).map { _ in
                    SandboxHost(
                        mode: mode, simulator: simulator, clock: clock, realTime: realTime, ackBudget: ackBudget, transport: transport, plugins: plugins,
                        configurationText: config,
                        environment: environment, overrides: overrides, databaseURL: databaseURL, httpClient: httpClient, logger: logger,
                        launcher: launcher, replicas: replicas)
                }
                // Host first, then its HTTP client (idle keep-alive connections would hold the
                // simulator's graceful shutdown for the pool's 60 s idle timeout), then Slack.
                func stop() async throws {
                    await withDiscardingTaskGroup { group in
                        for host in hosts { group.addTask { await host.shutDown() } }
                    }
                    for host in hosts { await host.closeKeptDatabase() }
                    launcher.finish()
                    try? await httpClient.shutdown()
                    if mode == .live { await simulatorGroup.triggerGracefulShutdown() }
                    try await group.waitForAll()
                }
                do {
                    // Replicas boot at once, as containers of one deployment do.
                    try await withThrowingDiscardingTaskGroup { group in
                        for host in hosts { group.addTask { try await host.launch() } }
                    }
                    let result = try await body(hosts)
                    try await stop()
                    return result
                } catch {
                    try? await stop()
                    throw error
                }
            }
            return result
        } catch {
            try? await httpClient.shutdown()
            throw error
        }
    }

    private init(
        mode: Mode, simulator: SlackSimulator, clock: ManualClock, realTime: Bool, ackBudget: Duration, transport: HostEnvironment.Transport,
        plugins: [any Plugin.Type], configurationText: String, environment: [String: String], overrides: [String: [String: String]], databaseURL: String,
        httpClient: HTTPClient, logger: Logger, launcher: AsyncStream<Launch>.Continuation, replicas: Int
    ) {
        self.mode = mode
        self.replicas = replicas
        self.overrides = overrides
        self.simulator = simulator
        self.clock = clock
        self.realTime = realTime
        self.ackBudget = ackBudget
        self.transport = transport
        self.plugins = plugins
        self.configurationText = configurationText
        self.environment = environment
        self.databaseURL = databaseURL
        self.httpClient = httpClient
        self.logger = logger
        self.launcher = launcher
    }

    /// The running host.
    public var app: CasebookApp {
        get throws {
            guard let running = current.withLock({ $0 }) else { throw SimulatorError("the test host is not running") }
            return running.app
        }
    }

    /// Whether the running host has plugin `id` switched on.
    public func isEnabled(_ id: String) -> Bool {
        (try? app.registry.plugin(id)) != nil
    }

    /// The port of the host's HTTP server (health, metrics, webhooks; Slack too in HTTP mode).
    public var httpPort: Int? { current.withLock { $0?.httpPort } }

    // MARK: Lifecycle

    /// Boots a host on the test database and waits until it is connected.
    func launch() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: configurationText, environment: environment, available: plugins, overrides: overrides)
        let environment = HostEnvironment(
            botToken: simulator.botToken, appToken: transport == .socketMode && mode == .live ? simulator.appToken : nil,
            signingSecret: simulator.signingSecret, apiURL: simulator.apiURL, databaseURL: databaseURL)
        let database: Database
        var databaseServices: DatabaseServices?
        if let kept = kept.withLock({ $0 }) {
            database = kept.database
        } else {
            database = try await Database.open(url: environment.databaseURL, clock: hostClock, logger: logger)
            if mode == .inProcess && databaseURL == SandboxHost.inMemorySQLite {
                do {
                    try await SQLiteTestTemplates.fill(database, plugins: configuration.plugins.map(\.type), logger: logger)
                } catch {
                    try? await database.close()
                    throw error
                }
            }
            if !database.services.isEmpty {
                let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: database.services, logger: logger))
                let (finished, finishedContinuation) = AsyncStream.makeStream(of: Void.self)
                launcher.yield(Launch(group: group, finished: finishedContinuation))
                databaseServices = DatabaseServices(group: group, finished: finished)
            }
            if mode == .inProcess {
                kept.withLock { $0 = KeptDatabase(database: database, services: databaseServices) }
                databaseServices = nil
            }
        }
        let portBox = Mutex<Int?>(nil)
        var webAPI = WebAPIConfiguration()
        webAPI.defaultRetryAfter = .milliseconds(100)
        let socketMode = SocketModeConfiguration()
        let app: CasebookApp
        do {
            var options = CasebookApp.Options(
                environment: environment, transport: mode == .live ? transport : .http, clock: hostClock, webAPI: webAPI, socketMode: socketMode,
                // As `serve` does, in both modes: plugin webhooks are served on PORT in Socket Mode too.
                http: mode == .live ? HTTPServerConfiguration(host: "127.0.0.1", port: 0) : nil,
                // A new registry per launch, as a new process starts with empty counters.
                metricsRegistry: PrometheusCollectorRegistry(),
                ackBudget: ackBudget,
                logger: logger,
                onHTTPServerRunning: { port in portBox.withLock { $0 = port } },
                // Tests stop hosts often; a drain is waited for only when the configuration asks.
                drainDelay: configuration.host.httpDrain ?? .zero)
            if mode == .inProcess { wireInProcess(&options) }
            app = try await CasebookApp.boot(configuration: configuration, database: database, httpClient: httpClient, options: options)
        } catch {
            if mode == .live {
                try? await database.close()
                await databaseServices?.stop()
            }
            throw error
        }
        // Grant exactly what the manifest asks for, as installing the app would.
        let manifest = CasebookApp.manifestInput(configuration: configuration, registry: app.registry)
        simulator.grantScopes(Set(ManifestRenderer.botScopes(manifest)))
        simulator.subscribeEvents(manifest.events)
        simulator.enableHomeTab(manifest.homeTab)

        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: app.services, logger: logger))
        let (finished, finishedContinuation) = AsyncStream.makeStream(of: Void.self)
        launcher.yield(Launch(group: group, finished: finishedContinuation))
        current.withLock { $0 = Running(app: app, group: group, finished: finished, database: databaseServices, httpPort: nil) }
        guard mode == .live else { return }
        if transport == .socketMode {
            let sockets = configuration.host.sockets
            try await waitUntil("the host's sockets say hello") {
                app.socketMode?.connectedSockets == sockets
                    && (self.replicas > 1 ? self.simulator.openSocketCount >= sockets : self.simulator.openSocketCount == sockets)
            }
        }
        try await waitUntil("the HTTP server listens") { portBox.withLock { $0 } != nil }
        current.withLock {
            $0 = Running(app: app, group: group, finished: finished, database: databaseServices, httpPort: portBox.withLock { $0 })
        }
    }

    /// Stops the running host the way SIGTERM would, and closes its database.
    func shutDown() async {
        guard let running = current.withLock({ state -> Running? in defer { state = nil }; return state }) else { return }
        await running.group.triggerGracefulShutdown()
        for await _ in running.finished {}
        guard mode == .live else { return }
        do { try await running.app.database.close() } catch { logger.error("closing the test database failed", metadata: ["error": "\(error)"]) }
        await running.database?.stop()
        if transport == .socketMode && replicas == 1 {
            try? await simulator.waitForSockets(0, timeout: .seconds(5))
        }
    }

    /// Closes the database an in-process host kept across restarts.
    func closeKeptDatabase() async {
        guard let kept = kept.withLock({ state -> KeptDatabase? in defer { state = nil }; return state }) else { return }
        do { try await kept.database.close() } catch { logger.error("closing the test database failed", metadata: ["error": "\(error)"]) }
        await kept.services?.stop()
    }

    /// Stops the host and boots a new one on the same database, as after a crash or a deploy.
    public func restart() async throws {
        await shutDown()
        try await launch()
    }

    /// `GET /metrics` from the running host, over HTTP as Prometheus scrapes it.
    public func scrapeMetrics() async throws -> String {
        let answer = try await request("GET", "/metrics")
        guard answer.status == 200 else { throw SimulatorError("/metrics answered HTTP \(answer.status)") }
        return String(decoding: answer.body, as: UTF8.self)
    }

    // MARK: Acting as a user

    /// Runs `/case <text>` (or the configured command) as `user` in `channel` and returns the reply the
    /// user sees: the ack's message, or the message posted later through `response_url`.
    @discardableResult
    public func slash(_ text: String, as user: String, in channel: String) async throws -> SlackReply? {
        let command = try app.configuration.host.slashCommand
        let payload = try simulator.slashCommand(user: user, channel: channel, command: command, text: text)
        let answer = try await deliver(payload)
        if let body = answer, body["text"]?.string != nil {
            return seen(body, by: payload)
        }
        // A slow handler acks first and answers through this command's response_url.
        guard let responseURL = payload["response_url"]?.string else { return nil }
        // In-process, the post is done by the time the delivery returns: nothing to wait for.
        let deadline = ContinuousClock.now + (mode == .inProcess ? .zero : .seconds(10))
        while true {
            if let body = simulator.replies(to: responseURL).first {
                return seen(body, by: payload)
            }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Uses a message shortcut on the message `messageTS` in `channel`.
    @discardableResult
    public func messageShortcut(_ callbackID: String, as user: String, channel: String, messageTS: String) async throws -> JSONValue? {
        try await deliver(try simulator.messageShortcut(user: user, channel: channel, messageTS: messageTS, callbackID: callbackID))
    }

    /// Uses a global shortcut (the ⚡ menu) as `user`.
    @discardableResult
    public func globalShortcut(_ callbackID: String, as user: String) async throws -> JSONValue? {
        try await deliver(try simulator.globalShortcut(user: user, callbackID: callbackID))
    }

    /// Opens the app's Home tab as `user` (`app_home_opened`).
    @discardableResult
    public func openHome(as user: String) async throws -> JSONValue? {
        try await deliver(try simulator.appHomeOpened(user: user))
    }

    /// Clicks a button or picks from a select in a message.
    @discardableResult
    public func click(
        _ actionID: String, as user: String, channel: String, messageTS: String, value: String? = nil,
        selectedOption: String? = nil, selectedUser: String? = nil
    ) async throws -> JSONValue? {
        try await deliver(try simulator.blockAction(
            user: user, in: .message(channel: channel, ts: messageTS), actionID: actionID, value: value,
            selectedOption: selectedOption, selectedUser: selectedUser))
    }

    /// Submits the modal on top of `user`'s stack with `values` (block id → action id → value).
    @discardableResult
    public func submitTopView(as user: String, values: [String: [String: String]] = [:]) async throws -> JSONValue? {
        try await deliver(try simulator.viewSubmission(user: user, values: values))
    }

    /// Delivers any payload the simulator built through the host's transport; returns the ack body.
    @discardableResult
    public func deliver(_ payload: JSONValue) async throws -> JSONValue? {
        if mode == .inProcess { return try await deliverInProcess(payload) }
        switch transport {
        case .socketMode:
            let ack = try await simulator.deliver(payload)
            guard ack.acked else { throw SimulatorError("the host did not ack within Slack's deadline") }
            return ack.payload
        case .http:
            guard let port = current.withLock({ $0?.httpPort }) else { throw SimulatorError("the HTTP server is not running") }
            let response = try await simulator.postSigned(to: "http://127.0.0.1:\(port)/slack/events", EnvelopeKind.of(payload), payload: payload)
            guard response.status == 200 else { throw SimulatorError("the host answered HTTP \(response.status)") }
            return response.body.isEmpty ? nil : try? JSONValue.decode(response.body)
        }
    }

    // MARK: Time and jobs

    /// Moves the clock forward and waits until every job due by then has run.
    ///
    /// Jobs already running finish first: real time never jumps past a running job's lease, and a
    /// jump here must not make the runner believe its worker died and run the job a second time.
    public func advance(by duration: Duration) async throws {
        guard !realTime else { throw SimulatorError("this host runs in real time; its clock cannot be advanced") }
        let database = try app.database
        try await waitUntil("running jobs to finish before time moves") {
            try await database.listJobs(states: ["running"]).isEmpty
        }
        clock.advance(by: duration)
        try await settleJobs()
    }

    /// Waits until no job is due or running. The bound is generous: on a loaded CI machine a wait
    /// that is merely slow must not fail a behaviour test (nothing here measures speed).
    public func settleJobs(timeout: Duration = .seconds(30)) async throws {
        let database = try app.database
        try await waitUntil("due jobs to run", timeout: timeout) {
            let now = self.hostClock.now()
            let jobs = try await database.listJobs(states: ["pending", "running"])
            return !jobs.contains { $0.state == "running" || $0.runAt <= now }
        }
    }

    /// Polls `condition` until it holds (bounded), for effects that happen after an ack.
    public func waitUntil(
        _ what: String, timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        // Checked at once, then ever less often: a hundred tests polling the database every few
        // milliseconds cost more CPU than the tests themselves.
        var pause = Duration.milliseconds(1)
        while try await !condition() {
            if ContinuousClock.now >= deadline { throw SimulatorError("timed out waiting for \(what)") }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    // MARK: Lookups

    /// `user` joins `channel` (as a person pressing "Join channel") unless already in it; the
    /// `member_joined_channel` event is delivered to the host.
    public func join(_ user: String, _ channel: String) async throws {
        guard simulator.channel(channel)?.members.contains(userID(user)) == false else { return }
        try await deliver(try simulator.memberJoinedChannel(user: user, channel: channel))
    }

    public func userID(_ name: String) -> String { simulator.user(name)?.id ?? name }
    public func channelID(_ name: String) -> String { simulator.channel(name)?.id ?? name }
}
