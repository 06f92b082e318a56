import CasebookKit
import Hummingbird

/// Where the HTTP server listens.
public struct HTTPServerConfiguration: Sendable, Equatable {
    public var host: String
    /// 0 picks a free port (tests read it back through `onServerRunning`).
    public var port: Int

    public init(host: String = "0.0.0.0", port: Int = 3000) {
        self.host = host
        self.port = port
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
        let application = Application(
            responder: responder,
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
