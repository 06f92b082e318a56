import ArgumentParser
import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookStore
import Prometheus
import UnixSignals

/// Connects to Slack and runs until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Connect to Slack: Socket Mode when SLACK_APP_TOKEN is set, else HTTP Request URLs (SLACK_SIGNING_SECRET).")

    @OptionGroup var global: GlobalOptions

    @ArgumentParser.Option(help: "Address the HTTP server (health, metrics, webhooks, Slack HTTP mode) listens on; overrides host.http.bind (default 127.0.0.1 in Socket Mode, 0.0.0.0 in HTTP mode).")
    var host: String?

    func run() async throws {
        try await reportingFailures {
            let environment = try global.environment()
            let transport = try environment.servingTransport()
            LoggingSetup.bootstrap(environment)
            let logger = Logger(label: "casebook")
            let configuration = try global.loadConfiguration(environment)
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(HostMetrics.factory(registry: registry))

            let database = try await Database.open(url: environment.databaseURL, logger: logger)
            let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The database's own services (a PostgreSQL pool) run before anything queries it.
                    for service in database.services { group.addTask { try await service.run() } }
                    // Probes are answered from here on: during migrations by a small listener that
                    // hands the port over to the host's server once boot has returned.
                    let http = HTTPServerConfiguration(
                        host: host ?? configuration.host.bindAddress(socketMode: transport == .socketMode), port: environment.port)
                    let phase = StartupPhase()
                    let app = try await StartupProbes.whileBooting(http, phase: phase, logger: logger) { port in
                        try await CasebookApp.boot(
                            configuration: configuration, database: database, httpClient: httpClient,
                            options: CasebookApp.Options(
                                environment: environment, transport: transport,
                                http: HTTPServerConfiguration(host: http.host, port: port ?? http.port),
                                metricsRegistry: registry,
                                logger: logger, startupPhase: phase))
                    }
                    logger.info("Casebook is starting", metadata: [
                        "transport": "\(transport == .socketMode ? "socket-mode" : "http")",
                        "plugins": "\(app.registry.plugins.map(\.id).joined(separator: ","))", "database": "\(database.location)",
                    ])
                    for line in configuration.pluginStates { logger.info("plugin \(line)") }
                    var groupConfiguration = ServiceGroupConfiguration(
                        services: app.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                        gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
                    // In-flight handlers get this long to finish after SIGTERM.
                    groupConfiguration.maximumGracefulShutdownDuration = GracefulShutdown.maximumDuration
                    try await ServiceGroup(configuration: groupConfiguration).run()
                    group.cancelAll()
                }
            } catch {
                try? await database.close()
                try? await httpClient.shutdown()
                throw error
            }
            try await database.close()
            try await httpClient.shutdown()
            logger.info("Casebook stopped")
        }
    }
}
