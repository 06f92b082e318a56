import CasebookKit
import Hummingbird
import HummingbirdCore
import NIOCore

/// Where the HTTP server listens, and how long it waits for clients.
public struct HTTPServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests read it back through `onServerRunning`).
    public var port: Int
    /// A connection that sends nothing for this long is closed (between requests, or before a
    /// request's head is complete).
    public var idleTimeout: Duration
    /// A request must be read completely (head to end) within this long of its head, else its
    /// connection is closed. Slack's own deadline is 3 s; webhooks are small.
    public var requestReadTimeout: Duration

    public init(host: String = "0.0.0.0", port: Int = 3000, idleTimeout: Duration = .seconds(30), requestReadTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
    }

    /// `PORT` from the environment (default 3000), on all interfaces.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HTTPServerConfiguration {
        HTTPServerConfiguration(port: environment["PORT"].flatMap { Int($0) } ?? 3000)
    }
}

/// The Hummingbird server as one `Service` of the host's group: it stops accepting connections on
/// graceful shutdown and finishes the requests in progress.
public struct HTTPServerService: Service {
    private let responder: RouterResponder<BasicRequestContext>
    private let configuration: HTTPServerConfiguration
    private let logger: Logger
    private let onServerRunning: @Sendable (Int) async -> Void

    /// - Parameter onServerRunning: called with the bound port once the server listens.
    public init(
        router: Router<BasicRequestContext>,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        logger: Logger = Logger(label: "casebook.http"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.responder = router.buildResponder()
        self.configuration = configuration
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    public func run() async throws {
        let logger = self.logger
        let onServerRunning = self.onServerRunning
        let readTimeout = TimeAmount.nanoseconds(Int64(configuration.requestReadTimeout.timeInterval * 1_000_000_000))
        let application = Application(
            responder: responder,
            server: .http1(configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestReadDeadline(timeout: readTimeout)],
                idleTimeout: .nanoseconds(Int64(configuration.idleTimeout.timeInterval * 1_000_000_000)))),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "casebook"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("HTTP server listening", metadata: ["port": "\(port)"])
                await onServerRunning(port)
            },
            logger: logger
        )
        try await application.run()
    }
}
