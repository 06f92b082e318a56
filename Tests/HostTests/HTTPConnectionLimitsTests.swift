import CasebookHost
import CasebookKit
import CasebookTesting
import Hummingbird
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

/// What a hostile or broken client can hold on the host's HTTP port (#17 point 7): a silent
/// connection is closed after the idle timeout, a request trickled byte by byte after the read
/// timeout, and a request to a route nobody serves is refused before its body is read.
@Suite("HTTP connection limits")
struct HTTPConnectionLimitsTests {
    /// The host's HTTP server with short limits, on a free port.
    static func withServer(idle: Duration, read: Duration, _ body: @Sendable (Int) async throws -> Void) async throws {
        let port = TransportTestBox<Int?>(nil)
        let service = HTTPServerService(
            router: makeRouter(recordRequestMetrics: false),
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, idleTimeout: idle, requestReadTimeout: read),
            onServerRunning: { bound in port.mutate { $0 = bound } })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [service], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while port.current == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let bound = try #require(port.current)
            do {
                try await body(bound)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() async throws {
        try await Self.withServer(idle: .milliseconds(300), read: .seconds(60)) { port in
            // Before connecting: the server starts its idle timer when it accepts, which is later.
            let connecting = ContinuousClock.now
            try await RawHTTPClient.with(port: port) { client in
                // Half a request head, then silence. On a loaded machine the idle timeout may
                // already have closed the connection before this write; that is the behaviour
                // under test too, so a refused write is not a failure.
                try? await client.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                let closed = try await client.closesWithin(.seconds(10))
                #expect(closed)
                // Closed by the idle timer, not at once.
                #expect(ContinuousClock.now - connecting >= .milliseconds(250))
            }
        }
    }

    @Test func aRequestTrickledByteByByteIsCutAtTheReadTimeout() async throws {
        try await Self.withServer(idle: .seconds(5), read: .milliseconds(300)) { port in
            try await RawHTTPClient.with(port: port) { client in
                try await client.send("POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\nx")
                // One byte every 100 ms keeps the connection from ever being idle.
                var closed = false
                for _ in 0..<100 where !closed {
                    try await Task.sleep(for: .milliseconds(100))
                    closed = (try? await client.send("x")) == nil || client.isClosed
                }
                #expect(closed, "the server kept reading a request for 10 s")
            }
        }
    }

    @Test func aWebhookForNoPluginIsRefusedBeforeItsBodyIsRead() async throws {
        try await TestHost.withRunning(plugins: [ProbePlugin.self], config: "plugins:\n  probe:\n    enabled: true\n    config: { channel: C0INCIDENTS }\n") { host in
            let port = try #require(host.httpPort)
            try await RawHTTPClient.with(port: port) { client in
                // Announces half a megabyte and sends none of it: the answer must not wait for it.
                try await client.send("POST /hooks/nobody/alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500000\r\n\r\n")
                let head = try await client.responseHead(within: .seconds(5))
                #expect(head?.hasPrefix("HTTP/1.1 404") == true, "\(head ?? "no answer before the body")")
            }
        }
    }

    @Test func anUnsignedSlackRequestIsRefusedBeforeItsBodyIsRead() async throws {
        try await TestHost.withRunning(
            plugins: [ProbePlugin.self], config: "plugins:\n  probe:\n    enabled: true\n    config: { channel: C0INCIDENTS }\n", transport: .http
        ) { host in
            let port = try #require(host.httpPort)
            try await RawHTTPClient.with(port: port) { client in
                try await client.send("POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500000\r\n\r\n")
                let head = try await client.responseHead(within: .seconds(5))
                #expect(head?.hasPrefix("HTTP/1.1 401") == true, "\(head ?? "no answer before the body")")
            }
        }
    }
}

/// A TCP client that writes HTTP by hand: what a well-behaved HTTP client never sends.
final class RawHTTPClient: Sendable {
    private let channel: any NIOCore.Channel
    private let collector: Collector

    /// Collects what the server sends and notices when it closes the connection.
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = Mutex((received: [UInt8](), closed: false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).readableBytesView)
            state.withLock { $0.received += bytes }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLock { $0.closed = true }
            context.fireChannelInactive()
        }
    }

    private init(channel: any NIOCore.Channel, collector: Collector) {
        self.channel = channel
        self.collector = collector
    }

    static func with<T>(port: Int, _ body: (RawHTTPClient) async throws -> T) async throws -> T {
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        return try await body(RawHTTPClient(channel: channel, collector: collector))
    }

    var isClosed: Bool { collector.state.withLock { $0.closed } }

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Waits until the server closes the connection (true) or `limit` passes (false).
    func closesWithin(_ limit: Duration) async throws -> Bool {
        try await wait(limit) { $0.closed }
        return isClosed
    }

    /// The status line and headers of the first response, if one arrives within `limit`.
    func responseHead(within limit: Duration) async throws -> String? {
        let marker = Array("\r\n\r\n".utf8)
        try await wait(limit) { $0.received.firstRange(of: marker) != nil || $0.closed }
        let bytes = collector.state.withLock { $0.received }
        guard let end = bytes.firstRange(of: marker) else { return nil }
        return String(decoding: bytes[..<end.lowerBound], as: UTF8.self)
    }

    private func wait(_ limit: Duration, until done: @Sendable ((received: [UInt8], closed: Bool)) -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !collector.state.withLock({ done($0) }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
