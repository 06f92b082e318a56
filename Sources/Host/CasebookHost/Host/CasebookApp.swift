import AsyncHTTPClient
import CasebookKit
import CasebookStore
import Prometheus

/// The assembled host: plugins mounted, dispatcher, job runner and transports, ready to run as one
/// service group. `serve`, `playground` and the test harness all boot it the same way.
public final class CasebookApp: Sendable {
    public let configuration: LoadedConfiguration
    public let installation: Installation
    public let registry: PluginRegistry
    public let dispatcher: Dispatcher
    public let database: Database
    public let socketMode: SocketModeService?
    /// What `/readyz` answers; not ready from the first moment of a graceful shutdown.
    public let readiness: HostReadiness
    /// Everything long-running, in start order: dispatcher, jobs, plugin services, transports.
    public let services: [any Service]

    public struct Options: Sendable {
        public var environment: HostEnvironment
        public var transport: HostEnvironment.Transport
        public var clock: any WallClock
        public var webAPI: WebAPIConfiguration
        public var socketMode: SocketModeConfiguration
        /// The HTTP server (health, metrics, webhooks, Slack HTTP mode); nil runs none.
        public var http: HTTPServerConfiguration?
        public var metricsRegistry: PrometheusCollectorRegistry?
        /// Where the host's and plugins' metrics go: ``HostMetrics/factory(registry:)`` over
        /// `metricsRegistry` when one is given, else the process-wide `MetricsSystem`.
        public var metricsFactory: any MetricsFactory {
            metricsRegistry.map { HostMetrics.factory(registry: $0) } ?? MetricsSystem.factory
        }
        public var ackBudget: Duration
        public var workerID: String
        public var logger: Logger
        public var onHTTPServerRunning: @Sendable (Int) async -> Void
        /// How long `/readyz` answers 503 on SIGTERM before anything stops; nil takes `host.http.drain`.
        public var drainDelay: Duration?
        /// Told each step of boot, for the probes answered meanwhile (``StartupProbes``).
        public var startupPhase: StartupPhase
        /// Where `response_url` posts go; nil sends them with the Web API client (its transport).
        public var responder: (any ResponseURLPosting)?

        public init(
            environment: HostEnvironment, transport: HostEnvironment.Transport, clock: any WallClock = SystemClock(),
            webAPI: WebAPIConfiguration? = nil, socketMode: SocketModeConfiguration = SocketModeConfiguration(),
            http: HTTPServerConfiguration? = nil, metricsRegistry: PrometheusCollectorRegistry? = nil,
            ackBudget: Duration = .milliseconds(2000), workerID: String = JobRunner.uniqueWorkerID(),
            logger: Logger, onHTTPServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, drainDelay: Duration? = nil,
            startupPhase: StartupPhase = StartupPhase()
        ) {
            self.drainDelay = drainDelay
            self.startupPhase = startupPhase
            self.environment = environment
            self.transport = transport
            self.clock = clock
            var api = webAPI ?? WebAPIConfiguration()
            api.baseURL = environment.apiURL
            self.webAPI = api
            self.socketMode = socketMode
            self.http = http
            self.metricsRegistry = metricsRegistry
            self.ackBudget = ackBudget
            self.workerID = workerID
            self.logger = logger
            self.onHTTPServerRunning = onHTTPServerRunning
        }
    }

    /// Migrates the database, asks Slack who we are (`auth.test`), mounts the plugins and wires the
    /// transports. The database's own services (a PostgreSQL pool) must already be running.
    public static func boot(
        configuration: LoadedConfiguration, database: Database, httpClient: HTTPClient, options: Options
    ) async throws -> CasebookApp {
        let logger = options.logger
        let environment = options.environment
        guard let botTokenValue = environment.botToken else {
            throw EnvironmentError("SLACK_BOT_TOKEN is not set: Casebook needs your Slack app's bot token (xoxb-…)")
        }
        options.startupPhase.enter("running migrations")
        let applied = try await database.migrate(configuration.plugins.map { ($0.id, $0.type.migrations) })
        for migration in applied { logger.info("applied migration \(migration)") }

        let metrics = options.metricsFactory
        HostMetrics.declareLifecycle(metrics)
        let webAPI = WebAPIClient(httpClient: httpClient, configuration: options.webAPI, logger: logger, metricsFactory: metrics)
        let botToken = SlackToken(botTokenValue)
        options.startupPhase.enter("connecting to Slack")
        let identity = try await webAPI.authTest(token: botToken)
        let installation = Installation(
            teamID: identity.teamID, botUserID: identity.userID, refusesGuests: configuration.host.guests == .refuse)
        logger.info("connected to Slack workspace", metadata: ["team": "\(identity.teamID)", "bot_user": "\(identity.userID)"])

        let mounting = PluginMounting(
            slashCommand: configuration.host.slashCommand, installation: installation, clock: options.clock, logger: logger,
            http: IntegrationHTTPClient(client: httpClient, logger: logger, metricsFactory: metrics), metrics: metrics
        ) { pluginID, scopes in
            PluginSlackClient(client: webAPI, token: botToken, pluginID: pluginID, declaredScopes: scopes, logger: logger)
        }
        options.startupPhase.enter("mounting plugins")
        let registry = try await mounting.mount(configuration.plugins, stores: database)
        // Events go where the registry says, fixed before any plugin handler, job or service runs.
        try database.routeEvents(EventRouter(registry: registry))

        let hostSlack = PluginSlackClient(client: webAPI, token: botToken, pluginID: "casebook", declaredScopes: HostScopes.bot, logger: logger)
        let host = configuration.host
        let middlewares: [any DispatchMiddleware] = [
            AuditLog(logger: logger, metricsFactory: metrics),
            WorkspaceAllowlist(allowed: host.allowedWorkspaces),
            UserPolicy(
                installation: installation, refuseExternal: host.externalUsers == .refuse, refuseGuests: host.guests == .refuse,
                directory: UserDirectory(slack: hostSlack)),
            // Replicas share one PostgreSQL database: the limit is counted there, for all of them.
            RateLimit(
                limit: host.rateLimit.perUser, window: host.rateLimit.window, now: { [clock = options.clock] in clock.now() },
                shared: database.isPostgres ? database : nil, logger: logger),
        ]
        let dispatcher = Dispatcher(
            registry: registry, slashCommand: host.slashCommand, middlewares: middlewares, slack: hostSlack,
            responder: options.responder ?? webAPI, ackBudget: options.ackBudget, appName: host.appName, logger: logger)

        var runner = JobRunner(
            database: database, handlers: jobHandlers(registry), clock: options.clock, workerID: options.workerID, logger: logger,
            maxAttempts: host.jobs.maxAttempts, maximumBackoff: host.jobs.maximumBackoff)
        runner.metricsFactory = metrics
        let housekeeping = Housekeeping(database: database, clock: options.clock, jobRetention: host.jobs.retention, logger: logger)

        let dedupe = StoredDeliveryDedupe(database: database, ttl: .seconds(3600), logger: logger)
        var socketMode: SocketModeService?
        if options.transport == .socketMode, let appTokenValue = environment.appToken {
            let appToken = SlackToken(appTokenValue)
            var socketConfiguration = options.socketMode
            socketConfiguration.connections = host.sockets
            socketMode = SocketModeService(
                openURL: { try await webAPI.openSocketURL(appToken: appToken) }, handler: dispatcher, dedupe: dedupe,
                configuration: socketConfiguration, metrics: SlackTransportMetrics(factory: metrics), logger: logger)
        }

        let readiness = HostReadiness(database: database, socketMode: socketMode)
        var services: [any Service] = [dispatcher, runner, housekeeping]
        services += registry.plugins.flatMap(\.services)
        if let socketMode { services.append(socketMode) }
        if let http = options.http {
            var endpoint: SlackRequestEndpoint?
            if options.transport == .http, let secret = environment.signingSecret {
                endpoint = SlackRequestEndpoint(signingSecret: secret, handler: dispatcher, dedupe: dedupe, logger: logger)
            }
            let router = makeRouter(
                slack: endpoint,
                readiness: { await readiness.current() },
                metricsRegistry: options.metricsRegistry,
                beforeScrape: ScrapeGauges(
                    factory: metrics, database: database, extensions: registry.plugins.first?.context.extensions ?? .none, socketMode: socketMode, logger: logger
                ).refresh,
                webhooks: PluginWebhooks(registry: registry, logger: logger))
            services.append(HTTPServerService(router: router, configuration: http, logger: logger, onServerRunning: options.onHTTPServerRunning))
        }
        // Last, so that it is the first to hear of a shutdown.
        services.append(ReadinessDrain(readiness: readiness, delay: options.drainDelay ?? host.shutdownDrain, logger: logger))
        return CasebookApp(
            configuration: configuration, installation: installation, registry: registry, dispatcher: dispatcher,
            database: database, socketMode: socketMode, readiness: readiness, services: services)
    }

    private init(
        configuration: LoadedConfiguration, installation: Installation, registry: PluginRegistry, dispatcher: Dispatcher,
        database: Database, socketMode: SocketModeService?, readiness: HostReadiness, services: [any Service]
    ) {
        self.readiness = readiness
        self.configuration = configuration
        self.installation = installation
        self.registry = registry
        self.dispatcher = dispatcher
        self.database = database
        self.socketMode = socketMode
        self.services = services
    }

    /// Jobs, recurring jobs and event deliveries of every plugin, from the registry's route table.
    static func jobHandlers(_ registry: PluginRegistry) -> JobHandlers {
        var jobs: [String: [String: JobHandlers.Job]] = [:]
        for job in registry.routes(of: .job) {
            jobs[job.plugin, default: [:]][job.id] = { payload in _ = try await job(payload) }
        }
        let recurring = registry.routes(of: .recurringJob).compactMap { entry -> JobHandlers.Recurring? in
            guard case .recurring(let interval) = entry.metadata else { return nil }
            return JobHandlers.Recurring(plugin: entry.plugin, name: entry.id, interval: interval) { date in _ = try await entry(date) }
        }
        return JobHandlers(jobs: jobs, recurring: recurring, subscriptions: registry.subscribers) { subscriber, eventName, payload in
            let subscriptions = registry.routes(.subscription, eventName, plugin: subscriber)
            guard !subscriptions.isEmpty else {
                throw JobRunnerError.noHandler(plugin: subscriber, name: "event:" + eventName)
            }
            for subscription in subscriptions {
                _ = try await subscription(payload)
            }
        }
    }

    /// The Slack app manifest of the enabled plugins.
    public static func manifestInput(configuration: LoadedConfiguration, registry: PluginRegistry) -> ManifestInput {
        ManifestInput(
            appName: configuration.host.appName, botDisplayName: configuration.host.botDisplayName,
            slashCommand: configuration.host.slashCommand,
            subcommands: registry.allCommands.compactMap { route in
                guard case .command(let usage, let help) = route.metadata else { return nil }
                return ManifestInput.Subcommand(name: route.id, usage: usage, help: help)
            } + [ManifestInput.Subcommand(name: "help", usage: "", help: "list every subcommand")],
            shortcuts: registry.routes(of: .shortcut).compactMap { route in
                guard case .shortcut(let kind, let name, let description) = route.metadata else { return nil }
                return ManifestInput.Shortcut(callbackID: route.id, kind: kind == .message ? .message : .global, name: name, description: description)
            },
            scopes: registry.allScopes.union(HostScopes.bot), events: registry.allEvents, homeTab: registry.hasHomeTab)
    }
}
