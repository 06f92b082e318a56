import CasebookKit
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

@testable import CasebookHost

/// A bare WebSocket server on NIO, for what the Socket Mode client does at the frame level: it
/// records every frame the client sends (with whether it was masked), sends whatever frames a test
/// scripts (fragments, pings, close), and never answers anything by itself, not even pings. With
/// `declineUpgrades` it answers every upgrade request `403`, as Slack does for a used ticket.
private final class FrameServer: Sendable {
    struct Frame: Sendable, Equatable {
        var opcode: WebSocketOpcode
        var bytes: [UInt8]
        var masked: Bool
        var text: String { String(decoding: bytes, as: UTF8.self) }
        /// A close frame's status code.
        var closeCode: WebSocketErrorCode? {
            var body = ByteBuffer(bytes: bytes)
            return body.readWebSocketErrorCode()
        }
    }

    struct Connection: Sendable {
        var channel: any NIOCore.Channel
        var uri: String
        var hostHeader: String
        var frames: [Frame] = []
        var closed = false
    }

    private let state = Mutex<[Int: Connection]>([:])
    private let declined = Mutex(0)
    private let listener = Mutex<(any NIOCore.Channel)?>(nil)
    let sendsHello: Bool
    /// Whether pings get pongs (off by default: a test scripts every answer).
    let answersPings: Bool

    init(sendsHello: Bool = true, answersPings: Bool = false) {
        self.sendsHello = sendsHello
        self.answersPings = answersPings
    }

    var port: Int { listener.withLock { $0?.localAddress?.port ?? 0 } }

    /// - Parameter tls: serve `wss` with this context (TLS before the HTTP upgrade).
    func start(declineUpgrades: Bool = false, tls: NIOSSLContext? = nil) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(declineUpgrades ? nil : HTTPHeaders()) },
                        upgradePipelineHandler: { [self] channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                let id = attach(channel, head: head)
                                try channel.pipeline.syncOperations.addHandler(FrameRecorder(server: self, id: id))
                                if sendsHello {
                                    let hello = #"{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"}}"#
                                    channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: hello)), promise: nil)
                                }
                            }
                        }
                    )
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                    )
                    // Only when nothing is upgraded: the frame codec goes after it, so it would see raw frames.
                    if declineUpgrades { try channel.pipeline.syncOperations.addHandler(Forbidden(server: self)) }
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        listener.withLock { $0 = channel }
    }

    func stop() async throws {
        let channel = listener.withLock { $0 }
        for connection in state.withLock({ Array($0.values) }) { try? await connection.channel.close() }
        try await channel?.close()
    }

    fileprivate func attach(_ channel: any NIOCore.Channel, head: HTTPRequestHead) -> Int {
        state.withLock { connections in
            let id = connections.count + 1
            connections[id] = Connection(channel: channel, uri: head.uri, hostHeader: head.headers["Host"].first ?? "")
            return id
        }
    }

    fileprivate func record(_ frame: WebSocketFrame, on id: Int) {
        let recorded = Frame(opcode: frame.opcode, bytes: Array(frame.unmaskedData.readableBytesView), masked: frame.maskKey != nil)
        state.withLock { $0[id]?.frames.append(recorded) }
    }

    fileprivate func detach(_ id: Int) { state.withLock { $0[id]?.closed = true } }
    fileprivate func noteDeclined() { declined.withLock { $0 += 1 } }

    func send(_ frame: WebSocketFrame, on id: Int) async throws {
        let channel = try #require(state.withLock { $0[id]?.channel })
        try await channel.writeAndFlush(frame)
    }

    func sendText(_ text: String, on id: Int) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)), on: id)
    }

    func connection(_ id: Int) -> Connection? { state.withLock { $0[id] } }
    func frames(on id: Int) -> [Frame] { state.withLock { $0[id]?.frames ?? [] } }
    func connectionCount() -> Int { state.withLock { $0.count } }
    func isClosed(_ id: Int) -> Bool { state.withLock { $0[id]?.closed ?? false } }
    var declinedCount: Int { declined.withLock { $0 } }

    /// Records each frame of one upgraded connection.
    private final class FrameRecorder: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame
        let server: FrameServer
        let id: Int
        init(server: FrameServer, id: Int) {
            self.server = server
            self.id = id
        }
        typealias OutboundOut = WebSocketFrame
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            server.record(frame, on: id)
            if server.answersPings, frame.opcode == .ping {
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
            }
        }
        func channelInactive(context: ChannelHandlerContext) {
            server.detach(id)
            context.fireChannelInactive()
        }
    }

    /// Answers any HTTP request that was not upgraded with `403`.
    private final class Forbidden: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: FrameServer
        init(server: FrameServer) { self.server = server }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            server.noteDeclined()
            let head = HTTPResponseHead(version: .http1_1, status: .forbidden, headers: ["Content-Length": "0", "Connection": "close"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// Acks every delivery at once and records it.
private actor AckingDispatcher: InboundHandling {
    private(set) var received: [Inbound] = []
    func handle(_ inbound: Inbound, ack: Acknowledgement) async {
        received.append(inbound)
        await ack.send(nil)
    }
}

/// Polls `condition` until it holds; a bounded wait for an asynchronous effect, not a timing test.
private func eventually(
    _ what: Comment,
    within limit: Duration = .seconds(10),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    Issue.record("Timed out waiting until \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}

private func envelopeText(_ id: String, padding: Int = 0) -> String {
    JSONValue.object([
        "envelope_id": .string(id), "type": "events_api", "accepts_response_payload": false,
        "payload": [
            "type": "event_callback", "team_id": "T1", "event_id": .string("Ev-\(id)"),
            "event": ["type": "member_joined_channel", "user": "U1", "channel": "C1"], "padding": .string(String(repeating: "x", count: padding)),
        ],
    ]).encoded()
}

private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
    WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: text))
}

@Suite("Socket Mode client frames")
struct SocketModeFrameTests {
    fileprivate struct Harness {
        let server: FrameServer
        let service: SocketModeService
        let dispatcher: AckingDispatcher
        let registry: PrometheusCollectorRegistry
        let group: ServiceGroup
    }

    static let configuration = SocketModeConfiguration(
        connections: 1,
        reconnectBackoff: ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(50)),
        helloTimeout: .seconds(10),
        drainTimeout: .seconds(5),
        closeTimeout: .milliseconds(200)
    )

    /// Runs the frame server and the service, then shuts the service down gracefully.
    private func withClient(
        _ configuration: SocketModeConfiguration = Self.configuration,
        declineUpgrades: Bool = false,
        answersPings: Bool = false,
        tls: TestCertificate? = nil,
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test.socket-mode-frames")
        logger.logLevel = .critical
        let server = FrameServer(answersPings: answersPings)
        try await server.start(declineUpgrades: declineUpgrades, tls: try tls?.serverContext())
        var configuration = configuration
        if let tls { configuration.additionalTrustRoots = [tls.certificate] }
        // `wss` goes to `localhost`, the name the test certificate is for.
        let base = tls == nil ? "ws://127.0.0.1" : "wss://localhost"
        let dispatcher = AckingDispatcher()
        let registry = PrometheusCollectorRegistry()
        let opened = Mutex(0)
        let port = server.port
        let service = SocketModeService(
            openURL: {
                let n = opened.withLock { count in count += 1; return count }
                return "\(base):\(port)/link/?ticket=t\(n)&app_id=A1"
            },
            handler: dispatcher,
            configuration: configuration,
            metrics: SlackTransportMetrics(factory: PrometheusMetricsFactory(registry: registry)),
            logger: logger,
            pause: { try await Task.sleep(for: min($0, .milliseconds(20))) }
        )
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(Harness(server: server, service: service, dispatcher: dispatcher, registry: registry, group: group))
            } catch {
                await group.triggerGracefulShutdown()
                try? await server.stop()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try await server.stop()
        }
    }

    @Test("The upgrade request carries the path, the query and a Host header with the port; every client frame is masked")
    func upgradeRequestAndMasking() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            let connection = try #require(h.server.connection(1))
            #expect(connection.uri == "/link/?ticket=t1&app_id=A1")
            #expect(connection.hostHeader == "127.0.0.1:\(h.server.port)")
            try await h.server.sendText(envelopeText("e1"), on: 1)
            try await eventually("acked") { h.server.frames(on: 1).contains { $0.opcode == .text } }
            let ack = try #require(h.server.frames(on: 1).first { $0.opcode == .text })
            #expect(try JSONValue.decode(ack.text) == ["envelope_id": "e1"])
            #expect(h.server.frames(on: 1).allSatisfy { $0.masked })
        }
    }

    @Test("wss: TLS with the server name, then the same upgrade, hello and acks")
    func secureSocket() async throws {
        try await withClient(tls: try TestCertificate()) { h in
            try await eventually("connected over TLS") { h.service.isConnected }
            let connection = try #require(h.server.connection(1))
            #expect(connection.hostHeader == "localhost:\(h.server.port)")
            try await h.server.sendText(envelopeText("secure-1"), on: 1)
            try await eventually("acked") { h.server.frames(on: 1).contains { $0.opcode == .text } }
            let ack = try #require(h.server.frames(on: 1).first { $0.opcode == .text })
            #expect(try JSONValue.decode(ack.text) == ["envelope_id": "secure-1"])
        }
    }

    @Test("wss: a certificate the client does not trust is refused, and the slot keeps retrying")
    func untrustedCertificate() async throws {
        let certificate = try TestCertificate()
        let server = FrameServer()
        try await server.start(tls: try certificate.serverContext())
        let opened = Mutex(0)
        let port = server.port
        var logger = Logger(label: "test.socket-mode-frames")
        logger.logLevel = .critical
        let service = SocketModeService(
            openURL: {
                opened.withLock { $0 += 1 }
                return "wss://localhost:\(port)/link/?ticket=t&app_id=A1"
            },
            handler: AckingDispatcher(), configuration: Self.configuration, logger: logger,
            pause: { try await Task.sleep(for: min($0, .milliseconds(20))) })
        let group = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("retried after the handshake failed") { opened.withLock { $0 } >= 3 }
            #expect(!service.isConnected)
            #expect(server.connectionCount() == 0, "no upgrade happens over an untrusted connection")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await server.stop()
    }

    @Test("A burst of envelopes read together is acked in full (coalesced flushes strand nothing)")
    func burstIsAcked() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            let ids = (1...200).map { "burst-\($0)" }
            // One write of many frames, so the client reads them in as few reads as possible.
            let channel = try #require(h.server.connection(1)?.channel)
            for id in ids { channel.write(frame(.text, envelopeText(id)), promise: nil) }
            channel.flush()
            try await eventually("every envelope acked") { h.server.frames(on: 1).filter { $0.opcode == .text }.count == ids.count }
            let acked = try h.server.frames(on: 1).filter { $0.opcode == .text }.map { try JSONValue.decode($0.text)["envelope_id"]?.string ?? "" }
            #expect(Set(acked) == Set(ids))
            #expect(await h.dispatcher.received.count == ids.count)
        }
    }

    @Test("A server that never answers pings has its socket closed, and the slot reconnects")
    func unansweredPingsCloseTheSocket() async throws {
        var configuration = Self.configuration
        configuration.pingInterval = .milliseconds(30)
        try await withClient(configuration) { h in
            try await eventually("the first socket was closed") { h.server.isClosed(1) }
            #expect(h.server.frames(on: 1).contains { $0.opcode == .ping })
            try await eventually("the slot reconnected") { h.server.connectionCount() >= 2 }
            #expect(h.registry.emitToString().contains(#"slack_socket_reconnects_total{reason="error"}"#))
        }
    }

    @Test("A server ping is answered with a pong carrying its payload")
    func serverPingAnswered() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            try await h.server.send(frame(.ping, "are-you-there"), on: 1)
            try await eventually("pong") { h.server.frames(on: 1).contains { $0.opcode == .pong } }
            let pong = try #require(h.server.frames(on: 1).first { $0.opcode == .pong })
            #expect(pong.text == "are-you-there")
            #expect(pong.masked)
            #expect(h.server.isClosed(1) == false)
        }
    }

    @Test("An envelope split over fragments, with a ping between them, is reassembled, dispatched and acked")
    func fragmentedEnvelope() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            let text = envelopeText("e-frag", padding: 100)
            let cut1 = text.index(text.startIndex, offsetBy: 20)
            let cut2 = text.index(cut1, offsetBy: 60)
            try await h.server.send(frame(.text, String(text[..<cut1]), fin: false), on: 1)
            try await h.server.send(frame(.continuation, String(text[cut1..<cut2]), fin: false), on: 1)
            try await h.server.send(frame(.ping, "mid-message"), on: 1)
            try await h.server.send(frame(.continuation, String(text[cut2...])), on: 1)
            try await eventually("acked") { h.server.frames(on: 1).contains { $0.opcode == .text } }

            let ack = try #require(h.server.frames(on: 1).first { $0.opcode == .text })
            #expect(try JSONValue.decode(ack.text) == ["envelope_id": "e-frag"])
            let received = await h.dispatcher.received
            #expect(received.map(\.deliveryID) == ["e-frag"])
            #expect(received.first?.payload["padding"]?.string?.count == 100)
            #expect(h.server.frames(on: 1).contains { $0.opcode == .pong && $0.text == "mid-message" })
        }
    }

    @Test("A message over the size limit closes the socket with 1009 and the slot reconnects", arguments: [false, true])
    func oversizedMessage(fragmented: Bool) async throws {
        var configuration = Self.configuration
        configuration.maxMessageSize = 512
        try await withClient(configuration) { h in
            try await eventually("connected") { h.service.isConnected }
            let text = envelopeText("e-big", padding: 600)
            if fragmented {
                let cut = text.index(text.startIndex, offsetBy: 400)  // each fragment fits, the message does not
                try await h.server.send(frame(.text, String(text[..<cut]), fin: false), on: 1)
                try await h.server.send(frame(.continuation, String(text[cut...])), on: 1)
            } else {
                try await h.server.sendText(text, on: 1)
            }
            try await eventually("the socket was closed") { h.server.isClosed(1) }
            let close = try #require(h.server.frames(on: 1).first { $0.opcode == .connectionClose })
            #expect(close.closeCode == .messageTooLarge)
            try await eventually("the slot reconnected") { h.server.connectionCount() >= 2 }
            #expect(await h.dispatcher.received.isEmpty)
            #expect(h.server.frames(on: 1).contains { $0.opcode == .text } == false)
        }
    }

    @Test("The server's close frame is answered with a close frame, the socket ends and the slot reconnects")
    func closeHandshakeFromServer() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            var body = ByteBuffer()
            body.write(webSocketErrorCode: .goingAway)
            try await h.server.send(WebSocketFrame(fin: true, opcode: .connectionClose, data: body), on: 1)
            try await eventually("the client closed the connection") { h.server.isClosed(1) }
            let close = try #require(h.server.frames(on: 1).first { $0.opcode == .connectionClose })
            #expect(close.closeCode == .goingAway)
            #expect(close.masked)
            try await eventually("the slot reconnected") { h.server.connectionCount() >= 2 && h.service.isConnected }
            #expect(h.registry.emitToString().contains(#"slack_socket_reconnects_total{reason="closed"} 1"#))
        }
    }

    @Test("Shutdown sends a close frame; a server that never answers it is dropped after the close timeout")
    func closeFromClientWithoutReply() async throws {
        try await withClient { h in
            try await eventually("connected") { h.service.isConnected }
            await h.group.triggerGracefulShutdown()
            try await eventually("the client dropped the connection") { h.server.isClosed(1) }
            let close = try #require(h.server.frames(on: 1).first { $0.opcode == .connectionClose })
            #expect(close.closeCode == .normalClosure)
            #expect(h.server.connectionCount() == 1)
        }
    }

    @Test("A declined upgrade (403 for a used ticket) fails the attempt, and the slot retries with a fresh URL")
    func declinedUpgrade() async throws {
        try await withClient(declineUpgrades: true) { h in
            try await eventually("several attempts were declined") { h.server.declinedCount >= 2 }
            #expect(h.service.isConnected == false)
            #expect(h.server.connectionCount() == 0)
            #expect(h.registry.emitToString().contains(#"slack_socket_reconnects_total{reason="error"}"#))
        }
    }
}

/// The channel handler alone on an `EmbeddedChannel`, whose clock only moves when told: liveness,
/// flush coalescing and the close handshake without depending on how fast a machine is.
@Suite("Socket Mode channel handler")
struct SocketModeChannelHandlerTests {
    private struct Rig {
        let channel: EmbeddedChannel
        let handler: SocketModeChannelHandler
        let messages: AsyncThrowingStream<ReceivedSocketModeMessage, any Error>

        func outbound() throws -> [WebSocketFrame] {
            var frames: [WebSocketFrame] = []
            while let frame = try channel.readOutbound(as: WebSocketFrame.self) { frames.append(frame) }
            return frames
        }

        func advance(_ amount: TimeAmount) { channel.embeddedEventLoop.advanceTime(by: amount) }
    }

    private func rig() throws -> Rig {
        let channel = EmbeddedChannel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        let (messages, sink) = AsyncThrowingStream.makeStream(of: ReceivedSocketModeMessage.self)
        let handler = SocketModeChannelHandler(maxMessageSize: 1024, pingInterval: .seconds(10), closeTimeout: .seconds(1), messages: sink)
        try channel.pipeline.syncOperations.addHandler(handler)
        return Rig(channel: channel, handler: handler, messages: messages)
    }

    @Test("A ping goes out every interval while the server answers; the socket stays open")
    func answeredPings() async throws {
        let rig = try rig()
        for _ in 0..<3 {
            rig.advance(.seconds(10))
            let frames = try rig.outbound()
            #expect(frames.map(\.opcode) == [.ping])
            #expect(frames.allSatisfy { $0.maskKey != nil })
            try rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer()))
        }
        #expect(rig.channel.isActive)
        _ = try? rig.channel.finish()
    }

    @Test("Any frame counts as a sign of life, not only a pong")
    func anyFrameCounts() async throws {
        let rig = try rig()
        rig.advance(.seconds(10))
        #expect(try rig.outbound().map(\.opcode) == [.ping])
        try rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: #"{"type":"hello"}"#)))
        rig.advance(.seconds(10))
        #expect(try rig.outbound().map(\.opcode) == [.ping])
        #expect(rig.channel.isActive)
        _ = try? rig.channel.finish()
    }

    @Test("A ping unanswered by the next interval closes the channel and ends the messages with pingUnanswered")
    func unansweredPing() async throws {
        let rig = try rig()
        try rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: #"{"type":"hello","num_connections":1}"#)))
        rig.advance(.seconds(10))
        #expect(try rig.outbound().map(\.opcode) == [.ping])
        #expect(rig.channel.isActive)
        rig.advance(.seconds(10))
        #expect(rig.channel.isActive == false)
        var iterator = rig.messages.makeAsyncIterator()
        #expect(try await iterator.next()?.message == .hello(numConnections: 1))
        await #expect(throws: SocketLinkError.pingUnanswered) { _ = try await iterator.next() }
    }

    @Test("Acks written in one tick are flushed together, once, when the loop runs its queued work")
    func coalescedFlush() throws {
        let rig = try rig()
        for id in ["a", "b", "c"] { rig.handler.sendText(Array(#"{"envelope_id":"\#(id)"}"#.utf8), promise: nil) }
        #expect(try rig.outbound().isEmpty)  // written, not yet flushed
        rig.channel.embeddedEventLoop.run()
        let frames = try rig.outbound()
        // Frames leave the handler unmasked with their key set; the frame encoder applies the mask.
        #expect(frames.map { String(buffer: $0.data) } == [#"{"envelope_id":"a"}"#, #"{"envelope_id":"b"}"#, #"{"envelope_id":"c"}"#])
        #expect(frames.allSatisfy { $0.opcode == .text && $0.fin && $0.maskKey != nil })
        #expect(Set(frames.compactMap { $0.maskKey.map(Array.init) }).count == 3)
        _ = try? rig.channel.finish()
    }

    @Test("Our close: the close frame goes out, nothing is written after it, and the channel closes at the close timeout")
    func closeTimesOut() async throws {
        let rig = try rig()
        rig.handler.close(code: .normalClosure)
        let frames = try rig.outbound()
        #expect(frames.map(\.opcode) == [.connectionClose])
        var body = try #require(frames.first).data
        #expect(body.readWebSocketErrorCode() == .normalClosure)
        let refused = rig.channel.embeddedEventLoop.makePromise(of: Void.self)
        rig.handler.sendText(Array("late".utf8), promise: refused)
        await #expect(throws: SocketLinkError.closed) { try await refused.futureResult.get() }
        rig.advance(.milliseconds(999))
        #expect(rig.channel.isActive)
        rig.advance(.milliseconds(1))
        #expect(rig.channel.isActive == false)
        var iterator = rig.messages.makeAsyncIterator()
        #expect(try await iterator.next() == nil)
    }

    @Test("Our close: the peer's close reply ends the connection at once")
    func closeAnswered() throws {
        let rig = try rig()
        rig.handler.close(code: .goingAway)
        #expect(try rig.outbound().map(\.opcode) == [.connectionClose])
        var reply = ByteBuffer()
        reply.write(webSocketErrorCode: .goingAway)
        try rig.channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply))
        #expect(rig.channel.isActive == false)
    }
}

@Suite("Socket Mode client pieces")
struct SocketModeClientPiecesTests {
    @Test("Slack's wss URL: TLS, port 443, SNI name, path and query kept, Host without the default port")
    func slackURL() throws {
        let url = try WebSocketURL("wss://wss-primary.slack.com/link/?ticket=abc-123&app_id=A1#frag")
        #expect(url.usesTLS)
        #expect(url.host == "wss-primary.slack.com")
        #expect(url.port == 443)
        #expect(url.target == "/link/?ticket=abc-123&app_id=A1")
        #expect(url.hostHeader == "wss-primary.slack.com")
        #expect(url.serverName == "wss-primary.slack.com")
    }

    @Test("ws URLs: explicit and default ports, IP literals, a bare query, and rejects")
    func otherURLs() throws {
        let local = try WebSocketURL("ws://127.0.0.1:8123/link?ticket=t1")
        #expect(!local.usesTLS && local.port == 8123 && local.hostHeader == "127.0.0.1:8123" && local.target == "/link?ticket=t1")
        #expect(local.serverName == nil)
        let plain = try WebSocketURL("WS://example.com?x=1")
        #expect(plain.port == 80 && plain.hostHeader == "example.com" && plain.target == "/?x=1")
        let v6 = try WebSocketURL("wss://[::1]:9443/")
        #expect(v6.host == "::1" && v6.port == 9443 && v6.hostHeader == "[::1]:9443" && v6.serverName == nil)
        let explicitDefault = try WebSocketURL("wss://example.com:443/a")
        #expect(explicitDefault.hostHeader == "example.com")
        for bad in ["https://example.com/", "ws://", "ws://:80/", "ws://host:99999/", "ws://host:8x/", "ws://[::1/"] {
            #expect(throws: WebSocketURL.Invalid.self) { try WebSocketURL(bad) }
        }
    }

    private func value(_ key: WebSocketMaskingKey) -> UInt32 { key.reduce(0) { $0 << 8 | UInt32($1) } }

    @Test("Masking keys vary from frame to frame, across reseeds, and between sockets")
    func maskingKeys() {
        var first = MaskingKeySource()
        var second = MaskingKeySource()
        let count = MaskingKeySource.keysPerSeed * 2 + 10
        let keys = (0..<count).map { _ in value(first.nextKey()) }
        // 32-bit keys: a handful of collisions among a few thousand would be chance, not a pattern.
        #expect(Set(keys).count > count - 5)
        let others = (0..<100).map { _ in value(second.nextKey()) }
        #expect(Set(others).intersection(keys.prefix(100)).count < 3)
    }

    @Test("A message parses the same from bytes as from text")
    func messageFromBytes() {
        let text = envelopeText("e1")
        #expect(SocketModeMessage(bytes: Array(text.utf8)) == SocketModeMessage(text: text))
        #expect(SocketModeMessage(bytes: Array(#"{"type":"hello","num_connections":2}"#.utf8)) == .hello(numConnections: 2))
        #expect(SocketModeMessage(bytes: Array("not json".utf8)) == .unrecognised(type: nil))
    }
}
