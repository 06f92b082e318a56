import CasebookKit
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket
import Prometheus
import ServiceLifecycle
import Testing

@testable import CasebookHost

/// A scriptable Slack Socket Mode endpoint on loopback. Every connection is recorded with the
/// frames the client sent, and a log of what happened in which order (`open:2`, `hello:2`,
/// `ack:1:e7`, `closed:1`) lets tests assert ordering without timing.
private actor FakeSocketModeServer {
    struct Link {
        var ticket: String
        var outbound: WebSocketOutboundWriter
        var acks: [JSONValue] = []
        var closed = false
    }

    private(set) var links: [Int: Link] = [:]
    private(set) var log: [String] = []
    private var boundPort: Int?
    /// Whether new connections get `hello` at once (tests turn this off to hold a replacement back).
    var autoHello = true

    func setPort(_ port: Int) { boundPort = port }
    func setAutoHello(_ value: Bool) { autoHello = value }

    func port() async throws -> Int {
        while boundPort == nil { try await Task.sleep(for: .milliseconds(5)) }
        return boundPort ?? 0
    }

    func attach(ticket: String, outbound: WebSocketOutboundWriter) async -> Int {
        let id = links.count + 1
        links[id] = Link(ticket: ticket, outbound: outbound)
        log.append("open:\(id)")
        if autoHello { await sendHello(on: id) }
        return id
    }

    func received(_ text: String, on id: Int) {
        guard let json = try? JSONValue.decode(text) else { return }
        links[id]?.acks.append(json)
        log.append("ack:\(id):\(json["envelope_id"]?.string ?? "?")")
    }

    func detach(_ id: Int) {
        links[id]?.closed = true
        log.append("closed:\(id)")
    }

    func sendHello(on id: Int) async {
        log.append("hello:\(id)")
        try? await send(#"{"type":"hello","num_connections":\#(id),"debug_info":{"host":"applink-1","approximate_connection_time":18060},"connection_info":{"app_id":"A1"}}"#, on: id)
    }

    func send(_ text: String, on id: Int) async throws {
        guard let outbound = links[id]?.outbound else { return }
        try await outbound.write(.text(text))
    }

    func closeFromServer(_ id: Int) async {
        try? await links[id]?.outbound.close(.normalClosure, reason: nil)
    }

    func acks(on id: Int) -> [JSONValue] { links[id]?.acks ?? [] }
    func isClosed(_ id: Int) -> Bool { links[id]?.closed ?? false }
    func linkCount() -> Int { links.count }
    func ticket(_ id: Int) -> String? { links[id]?.ticket }

    nonisolated func application(logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/link") { inbound, outbound, context in
            let ticket = context.request.uri.queryParameters["ticket"].map(String.init) ?? ""
            let id = await self.attach(ticket: ticket, outbound: outbound)
            for try await message in inbound.messages(maxSize: 1 << 20) {
                if case .text(let text) = message { await self.received(text, on: id) }
            }
            await self.detach(id)
        }
        return Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await self.setPort(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}

/// Records deliveries; answers slash commands; holds envelopes whose payload says `"slow": true`
/// until released, so a test can keep an envelope in flight across a close.
private actor RecordingDispatcher: InboundHandling {
    private(set) var received: [Inbound] = []
    private var slowStarted = 0
    private var released = false

    func handle(_ inbound: Inbound, ack: Acknowledgement) async {
        received.append(inbound)
        if inbound.payload["slow"] == true {
            slowStarted += 1
            while !released { try? await Task.sleep(for: .milliseconds(5)) }
        }
        await ack.send(inbound.kind == .slashCommand ? ["text": "ack from handler"] : nil)
    }

    func release() { released = true }
    func slowInFlight() -> Int { slowStarted }
}

/// Records the pauses the service asks for and returns at once, so backoff is asserted without
/// waiting for it.
private final class PauseRecorder: Sendable {
    private let pauses = TransportTestBox<[Duration]>([])
    var recorded: [Duration] { pauses.current }
    func pause(_ duration: Duration) async throws {
        pauses.append(duration)
        try await Task.sleep(for: .milliseconds(5))
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

private func envelope(_ id: String, type: String, payload: JSONValue, acceptsResponse: Bool = false, retryAttempt: Int = 0) -> String {
    JSONValue.object([
        "envelope_id": .string(id), "type": .string(type), "payload": payload,
        "accepts_response_payload": .bool(acceptsResponse), "retry_attempt": .number(Double(retryAttempt)),
        "retry_reason": retryAttempt > 0 ? "timeout" : "",
    ]).encoded()
}

private func event(_ eventID: String, slow: Bool = false) -> JSONValue {
    [
        "type": "event_callback", "team_id": "T1", "event_id": .string(eventID), "event_time": 1_531_420_618,
        "event": ["type": "member_joined_channel", "user": "U1", "channel": "C1"], "slow": .bool(slow),
    ]
}

@Suite("Socket Mode transport")
struct SocketModeTests {
    fileprivate struct Harness {
        let server: FakeSocketModeServer
        let service: SocketModeService
        let dispatcher: RecordingDispatcher
        let opened: TransportTestBox<Int>
        let registry: PrometheusCollectorRegistry
    }

    static let fastConfiguration = SocketModeConfiguration(
        connections: 1,
        reconnectBackoff: ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(50)),
        tooManyWebsocketsDelay: .seconds(42),
        helloTimeout: .seconds(10),
        drainTimeout: .seconds(5)
    )

    /// Runs the fake Slack and the service in one ServiceGroup, then shuts it down gracefully.
    private func withSocketMode(
        _ configuration: SocketModeConfiguration = Self.fastConfiguration,
        pause: PauseRecorder = PauseRecorder(),
        _ body: @Sendable (Harness) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test.socket-mode")
        logger.logLevel = .warning
        let server = FakeSocketModeServer()
        let dispatcher = RecordingDispatcher()
        let opened = TransportTestBox(0)
        let registry = PrometheusCollectorRegistry()
        let service = SocketModeService(
            openURL: {
                let port = try await server.port()
                let n = opened.mutate { count in count += 1; return count }
                return "ws://127.0.0.1:\(port)/link?ticket=t\(n)&app_id=A1"
            },
            handler: dispatcher,
            dedupe: InMemoryDeliveryDedupe(),
            configuration: configuration,
            metrics: SlackTransportMetrics(factory: PrometheusMetricsFactory(registry: registry)),
            logger: logger,
            pause: { try await pause.pause($0) }
        )
        let group = ServiceGroup(services: [server.application(logger: logger), service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(Harness(server: server, service: service, dispatcher: dispatcher, opened: opened, registry: registry))
            } catch {
                await group.triggerGracefulShutdown()
                await dispatcher.release()
                throw error
            }
            await group.triggerGracefulShutdown()
            await dispatcher.release()
            try await tasks.waitForAll()
        }
    }

    @Test("hello, then an envelope is dispatched and acked on the same socket, with the reply when allowed")
    func helloEnvelopeAck() async throws {
        try await withSocketMode { h in
            try await eventually("the socket said hello") { h.service.isConnected }
            #expect(await h.server.ticket(1) == "t1")
            try await h.server.send(
                envelope("e-cmd", type: "slash_commands", payload: ["command": "/incident", "text": "declare"], acceptsResponse: true), on: 1)
            try await h.server.send(envelope("e-evt", type: "events_api", payload: event("Ev1")), on: 1)
            try await eventually("both envelopes were acked") { await h.server.acks(on: 1).count == 2 }

            let acks = await h.server.acks(on: 1)
            #expect(acks.contains(["envelope_id": "e-cmd", "payload": ["text": "ack from handler"]]))
            #expect(acks.contains(["envelope_id": "e-evt"]))
            let received = await h.dispatcher.received
            #expect(received.count == 2)
            let command = try #require(received.first { $0.kind == .slashCommand })
            #expect(command.payload["command"] == "/incident")
            #expect(command.deliveryID == "e-cmd")
            #expect(received.contains { $0.kind == .eventsAPI && $0.payload["event_id"] == "Ev1" })
        }
    }

    @Test("A redelivered envelope and a retried event are dispatched once but both acked")
    func duplicatesAckedNotDispatched() async throws {
        try await withSocketMode { h in
            try await eventually("connected") { h.service.isConnected }
            try await h.server.send(envelope("e1", type: "events_api", payload: event("Ev42")), on: 1)
            try await eventually("first ack") { await h.server.acks(on: 1).count == 1 }
            try await h.server.send(envelope("e1", type: "events_api", payload: event("Ev42")), on: 1)
            try await h.server.send(envelope("e2", type: "events_api", payload: event("Ev42"), retryAttempt: 1), on: 1)
            try await eventually("all three acked") { await h.server.acks(on: 1).count == 3 }

            let ids = await h.server.acks(on: 1).compactMap { $0["envelope_id"]?.string }
            #expect(ids.sorted() == ["e1", "e1", "e2"])
            #expect(await h.dispatcher.received.count == 1)
            let text = h.registry.emitToString()
            #expect(text.contains(#"slack_envelopes_total{type="events_api",transport="socket_mode"} 3"#))
            #expect(text.contains(#"slack_duplicate_deliveries_total{type="events_api",transport="socket_mode"} 2"#))
        }
    }

    @Test("warning / refresh_requested: a fresh URL is opened, the new socket says hello before the old closes, nothing is lost",
          arguments: ["refresh_requested", "warning"])
    func handover(reason: String) async throws {
        try await withSocketMode { h in
            try await eventually("connected") { h.service.isConnected }
            await h.server.setAutoHello(false)
            try await h.server.send(#"{"type":"disconnect","reason":"\#(reason)","debug_info":{"host":"applink-1"}}"#, on: 1)
            // Slack may still deliver on the old socket right after the disconnect frame.
            try await h.server.send(envelope("e-late", type: "events_api", payload: event("Ev-late", slow: true)), on: 1)
            try await eventually("a replacement socket opened") { await h.server.linkCount() == 2 }
            try await eventually("the late envelope reached the handler") { await h.dispatcher.slowInFlight() == 1 }

            #expect(h.opened.current == 2)
            #expect(await h.server.ticket(2) == "t2")
            // Until the replacement says hello the old socket keeps serving: a further envelope
            // on it is still dispatched and acked.
            try await h.server.send(envelope("e-later", type: "events_api", payload: event("Ev-later")), on: 1)
            try await eventually("the old socket still acks") { await h.server.log.contains("ack:1:e-later") }
            #expect(await h.server.isClosed(1) == false)
            #expect(h.service.isConnected)

            await h.server.sendHello(on: 2)
            // The old socket now drains (e-late is still in flight); whatever Slack still sends on
            // it meanwhile is handled and acked, not dropped: a slash command is never redelivered.
            try await Task.sleep(for: .milliseconds(100))
            try await h.server.send(envelope("e-draining", type: "slash_commands", payload: ["command": "/case", "text": "ping"], acceptsResponse: true), on: 1)
            try await eventually("the draining socket acks") { await h.server.log.contains("ack:1:e-draining") }
            #expect(await h.server.isClosed(1) == false)
            await h.dispatcher.release()
            try await eventually("the old socket closed") { await h.server.isClosed(1) }

            let log = await h.server.log
            let hello2 = try #require(log.firstIndex(of: "hello:2"))
            let ack = try #require(log.firstIndex(of: "ack:1:e-late"))
            let closed1 = try #require(log.firstIndex(of: "closed:1"))
            #expect(hello2 < closed1)
            #expect(ack < closed1)

            try await h.server.send(envelope("e-new", type: "events_api", payload: event("Ev-new")), on: 2)
            try await eventually("the new socket acks") { await h.server.acks(on: 2).count == 1 }
            let dispatched = await h.dispatcher.received.compactMap { $0.payload["event_id"]?.string }
            #expect(dispatched.sorted() == ["Ev-late", "Ev-later", "Ev-new"])
            #expect(await h.dispatcher.received.contains { $0.deliveryID == "e-draining" })
            #expect(h.registry.emitToString().contains(#"slack_socket_reconnects_total{reason="\#(reason)"} 1"#))
        }
    }

    @Test("too_many_websockets closes the socket and backs off before reconnecting")
    func tooManyWebsockets() async throws {
        let pauses = PauseRecorder()
        try await withSocketMode(pause: pauses) { h in
            try await eventually("connected") { h.service.isConnected }
            try await h.server.send(#"{"type":"disconnect","reason":"too_many_websockets","num_connections":11}"#, on: 1)
            try await eventually("a new socket after the pause") { await h.server.linkCount() == 2 }

            let log = await h.server.log
            let closed1 = try #require(log.firstIndex(of: "closed:1"))
            let open2 = try #require(log.firstIndex(of: "open:2"))
            #expect(closed1 < open2)
            #expect(pauses.recorded.contains { $0 >= .seconds(42) })
            #expect(h.opened.current == 2)
        }
    }

    @Test("An unexpected close reconnects with a new URL")
    func reconnectsAfterServerClose() async throws {
        let pauses = PauseRecorder()
        try await withSocketMode(pause: pauses) { h in
            try await eventually("connected") { h.service.isConnected }
            await h.server.closeFromServer(1)
            try await eventually("reconnected") { await h.server.linkCount() == 2 && h.service.isConnected }
            #expect(await h.server.ticket(2) == "t2")
            #expect(pauses.recorded.count == 1)
            #expect(h.registry.emitToString().contains(#"slack_socket_reconnects_total{reason="closed"} 1"#))
        }
    }

    @Test("An unrecoverable auth error from apps.connections.open stops the service without retrying")
    func unrecoverableOpenError() async throws {
        let calls = TransportTestBox(0)
        let service = SocketModeService(
            openURL: {
                calls.mutate { $0 += 1 }
                throw SlackAPIError(method: "apps.connections.open", code: "invalid_auth")
            },
            handler: RecordingDispatcher(),
            configuration: Self.fastConfiguration
        )
        await #expect(throws: SocketModeError.unrecoverableAuth(code: "invalid_auth")) {
            try await service.run()
        }
        #expect(calls.current == 1)
        #expect(service.isConnected == false)
    }

    @Test("link_disabled stops the service")
    func linkDisabled() async throws {
        var logger = Logger(label: "test.socket-mode")
        logger.logLevel = .critical
        let server = FakeSocketModeServer()
        let service = SocketModeService(
            openURL: { "ws://127.0.0.1:\(try await server.port())/link?ticket=t" },
            handler: RecordingDispatcher(),
            configuration: Self.fastConfiguration,
            logger: logger
        )
        let app = server.application(logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            let serverGroup = ServiceGroup(services: [app], logger: logger)
            tasks.addTask { try await serverGroup.run() }
            try await withThrowingTaskGroup(of: Void.self) { inner in
                inner.addTask {
                    try await eventually("connected") { await server.linkCount() == 1 }
                    try await server.send(#"{"type":"disconnect","reason":"link_disabled"}"#, on: 1)
                }
                await #expect(throws: SocketModeError.linkDisabled) {
                    try await service.run()
                }
                try await inner.waitForAll()
            }
            await serverGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("Graceful shutdown acks the envelope in flight, then closes every socket")
    func gracefulShutdown() async throws {
        var configuration = Self.fastConfiguration
        configuration.connections = 2
        var logger = Logger(label: "test.socket-mode")
        logger.logLevel = .warning
        let server = FakeSocketModeServer()
        let dispatcher = RecordingDispatcher()
        let service = SocketModeService(
            openURL: { "ws://127.0.0.1:\(try await server.port())/link?ticket=t" },
            handler: dispatcher,
            configuration: configuration,
            logger: logger
        )
        // The fake Slack outlives the service so the close handshake can be observed.
        let serverGroup = ServiceGroup(services: [server.application(logger: logger)], logger: logger)
        let serviceGroup = ServiceGroup(services: [service], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serverGroup.run() }
            tasks.addTask { try await serviceGroup.run() }
            try await eventually("both sockets connected") { service.connectedSockets == 2 }
            try await server.send(envelope("e-slow", type: "events_api", payload: event("Ev-slow", slow: true)), on: 1)
            try await eventually("the envelope is in flight") { await dispatcher.slowInFlight() == 1 }

            await serviceGroup.triggerGracefulShutdown()
            try await eventually("the service stopped taking envelopes") { service.isConnected == false }
            #expect(await server.isClosed(1) == false)  // still waiting for the in-flight ack
            await dispatcher.release()
            try await eventually("both sockets closed") {
                let closed1 = await server.isClosed(1)
                let closed2 = await server.isClosed(2)
                return closed1 && closed2
            }
            let log = await server.log
            let ack = try #require(log.firstIndex(of: "ack:1:e-slow"))
            let closed1 = try #require(log.firstIndex(of: "closed:1"))
            #expect(ack < closed1)
            await serverGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

@Suite("Delivery dedupe")
struct DeliveryDedupeTests {
    @Test("A key is first once within the TTL and again after it expires")
    func ttl() async {
        let clock = TransportTestBox(ContinuousClock.now)
        let dedupe = InMemoryDeliveryDedupe(ttl: .seconds(60), now: { clock.current })
        #expect(dedupe.firstDelivery(key: "event:Ev1"))
        #expect(dedupe.firstDelivery(key: "event:Ev1") == false)
        #expect(dedupe.firstDelivery(key: "event:Ev2"))
        clock.mutate { $0 = $0 + .seconds(61) }
        #expect(dedupe.firstDelivery(key: "event:Ev1"))
    }

    @Test("UUID-shaped envelope ids are told apart exactly, like any other key")
    func uuidKeys() {
        let dedupe = InMemoryDeliveryDedupe()
        let id = "57d6a792-4d35-4d0f-b8d6-5a4d3b7f1e11"
        #expect(dedupe.firstDelivery(key: id))
        #expect(dedupe.firstDelivery(key: id) == false)
        // One digit apart, in either half; upper case is a different string, so a different key.
        #expect(dedupe.firstDelivery(key: "57d6a792-4d35-4d0f-b8d6-5a4d3b7f1e12"))
        #expect(dedupe.firstDelivery(key: "67d6a792-4d35-4d0f-b8d6-5a4d3b7f1e11"))
        #expect(dedupe.firstDelivery(key: id.uppercased()))
        #expect(dedupe.firstDelivery(key: id.uppercased()) == false)
        // Same digits without the dashes in place: not a UUID, not the same key.
        #expect(dedupe.firstDelivery(key: "57d6a7924-d35-4d0f-b8d6-5a4d3b7f1e11"))
    }

    @Test("Backoff grows exponentially, is capped, and jitters within half of the step")
    func backoff() {
        let backoff = ReconnectBackoff(initial: .seconds(1), maximum: .seconds(30))
        #expect(backoff.delay(afterFailures: 1, jitter: 1) == .seconds(1))
        #expect(backoff.delay(afterFailures: 3, jitter: 1) == .seconds(4))
        #expect(backoff.delay(afterFailures: 10, jitter: 1) == .seconds(30))
        #expect(backoff.delay(afterFailures: 10, jitter: 0) == .seconds(15))
    }
}
