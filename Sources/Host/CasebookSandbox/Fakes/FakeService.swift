public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A fake third-party HTTP service on 127.0.0.1 (ephemeral port).
///
/// Integrations are tested against it over real sockets, so timeouts, retries, headers and body
/// parsing run exactly as they do against the vendor. It records every request and can be told to
/// misbehave (``inject(_:count:when:)``); a vendor fake (``FakePagerDuty``) registers the routes.
public final class FakeService: Sendable {
    /// Names the service in call logs (`:calls pagerduty` in the playground).
    public let name: String
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var routes: [FakeRoute] = []
        var received: [FakeRequest] = []
        var faults = FaultScript()
        var summarize: @Sendable (FakeRequest) -> String = { $0.line }
        var server: (any NIOCore.Channel)?
        var port: Int?
        var connections: [ObjectIdentifier: any NIOCore.Channel] = [:]
    }

    public init(name: String, logger: Logger = Logger(label: "casebook.fake")) {
        self.name = name
        var logger = logger
        logger[metadataKey: "fake"] = .string(name)
        self.logger = logger
    }

    /// Registers a handler. Paths may contain `:param` segments and a trailing `**` catch-all;
    /// the first registered route that fits answers.
    public func route(_ method: String, _ path: String, _ handler: @escaping @Sendable (FakeRequest) async -> FakeResponse) {
        let route = FakeRoute(method: method, path: path, handler: handler)
        state.withLock { $0.routes.append(route) }
    }

    /// Binds 127.0.0.1 on a port the system picks; ``baseURL`` is valid once this returns.
    public func start() async throws {
        guard state.withLock({ $0.server == nil }) else { return }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                track(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeHTTPHandler(service: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = server.localAddress?.port else {
            try? await server.close()
            throw FakeServiceError(service: name, reason: "the listener has no port")
        }
        state.withLock {
            $0.server = server
            $0.port = port
        }
        logger.debug("fake service listening", metadata: ["url": "\(baseURL)"])
    }

    /// Stops listening and closes the connections clients kept open.
    public func stop() async {
        let (server, connections) = state.withLock { state in
            defer {
                state.server = nil
                state.connections = [:]
            }
            return (state.server, Array(state.connections.values))
        }
        try? await server?.close()
        for connection in connections { try? await connection.close() }
    }

    /// `http://127.0.0.1:<port>` (no trailing slash); valid after ``start()``.
    public var baseURL: String {
        "http://127.0.0.1:\(state.withLock { $0.port } ?? 0)"
    }

    /// Every request received, in order, including ones answered by an injected fault or a 404.
    public var received: [FakeRequest] {
        state.withLock { $0.received }
    }

    /// The requests to exactly this method and path (no pattern matching, no query).
    public func received(_ method: String, _ path: String) -> [FakeRequest] {
        let method = method.uppercased()
        return received.filter { $0.method == method && $0.path == path }
    }

    /// Scripted faults: the next `count` requests that match `when` get `fault` instead of their route.
    public func inject(_ fault: FakeFault, count: Int = 1, when: @escaping @Sendable (FakeRequest) -> Bool = { _ in true }) {
        state.withLock { $0.faults.add(fault, count: count, when: when) }
    }

    /// Drops injected faults that were not used up.
    public func clearFaults() {
        state.withLock { $0.faults.clear() }
    }

    public func clearReceived() {
        state.withLock { $0.received.removeAll() }
    }

    /// One line per request for humans (playground `:calls`); the vendor fake sets it. Default `METHOD /path`.
    public var summarize: @Sendable (FakeRequest) -> String {
        get { state.withLock { $0.summarize } }
        set { state.withLock { $0.summarize = newValue } }
    }

    /// ``summarize`` applied to every request received, in order.
    public func callLog() -> [String] {
        let (requests, summarize) = state.withLock { ($0.received, $0.summarize) }
        return requests.map(summarize)
    }

    // MARK: Serving

    /// Records the request, then lets a scripted fault or the matching route answer it.
    func answer(_ incoming: FakeRequest) async -> FakeOutcome {
        let (request, fault, handler) = state.withLock { state in
            var request = incoming
            var handler: (@Sendable (FakeRequest) async -> FakeResponse)?
            for route in state.routes {
                if let parameters = route.match(method: request.method, path: request.path) {
                    request.pathParameters = parameters
                    handler = route.handler
                    break
                }
            }
            state.received.append(request)
            return (request, state.faults.take(for: request), handler)
        }
        logger.debug("fake request", metadata: ["request": "\(request.line)"])
        if let fault {
            if let replacement = fault.replacement { return replacement }
            if case .latency(let delay) = fault { try? await Task.sleep(for: delay) }
        }
        guard let handler else {
            return .respond(.json(["error": .string("no route for \(request.line)")], status: 404))
        }
        return .respond(await handler(request))
    }

    /// Records a request whose body went over the limit and answers 413 (faults do not apply).
    func refuseTooLarge(_ request: FakeRequest) -> FakeOutcome {
        state.withLock { $0.received.append(request) }
        return .respond(.text("Payload Too Large", status: 413))
    }

    private func track(_ channel: any NIOCore.Channel) {
        let id = ObjectIdentifier(channel)
        state.withLock { $0.connections[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.connections.removeValue(forKey: id) }
        }
    }
}

/// A fake that could not start.
public struct FakeServiceError: Error, CustomStringConvertible {
    public var service: String
    public var reason: String
    public var description: String { "fake \(service): \(reason)" }
}
