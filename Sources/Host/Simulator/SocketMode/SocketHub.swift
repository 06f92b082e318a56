import CasebookKit
import CasebookNIO
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The Socket Mode side of the simulator: single-use tickets become sockets that get `hello`,
/// envelopes go round robin to open sockets and wait for their ack (reference/slack.md §1).
final class SocketHub: Sendable {
    /// What a connection's own task should do besides reading frames.
    enum Command: Sendable {
        case close(after: Duration, code: WebSocketErrorCode)
    }

    struct Connection: Sendable {
        var id: Int
        var writer: WebSocketOutboundWriter
        var channel: any NIOCore.Channel
        var commands: AsyncStream<Command>.Continuation
        var debugReconnects: Bool
        /// Sent `warning` or `refresh_requested`: new deliveries go to other sockets while there
        /// are any, as the handover of reference/slack.md §1.6 intends.
        var retiring = false
    }

    struct State {
        var connections: [Int: Connection] = [:]
        var order: [Int] = []
        var nextID = 1
        var nextTarget = 0
        var acks: [Ack] = []
        /// Text frames received that were not acks of a pending envelope.
        var otherFrames: [String] = []
        var totalConnections = 0
    }

    let appID: String
    let maximumConnections: Int
    private let state = Mutex(State())
    private let waiter = AckWaiter()
    /// Ids shaped like Slack's (a lower-case UUID): a random prefix per simulator and a counter,
    /// so they are unique without `UUID()`'s trip to /dev/urandom on every delivery.
    private let envelopeIDs = EnvelopeIDs()

    init(appID: String, maximumConnections: Int = 10) {
        self.appID = appID
        self.maximumConnections = maximumConnections
    }

    /// Times out unacknowledged deliveries; runs as long as the simulator does.
    func run() async {
        await waiter.run()
    }

    // MARK: Connections

    var openConnections: [Int] { state.withLock { $0.order } }
    var acks: [Ack] { state.withLock { $0.acks } }
    var otherFrames: [String] { state.withLock { $0.otherFrames } }
    var totalConnections: Int { state.withLock { $0.totalConnections } }

    /// Runs one accepted socket until either side closes it.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any NIOCore.Channel, debugReconnects: Bool, logger: Logger) async throws {
        let (commands, continuation) = AsyncStream<Command>.makeStream()
        let registration: (id: Int, count: Int)? = state.withLock { state -> (id: Int, count: Int)? in
            if state.order.count >= maximumConnections { return nil }
            let id = state.nextID
            state.nextID += 1
            state.totalConnections += 1
            state.connections[id] = Connection(id: id, writer: outbound, channel: channel, commands: continuation, debugReconnects: debugReconnects)
            state.order.append(id)
            return (id, state.order.count)
        }
        guard let registration else {
            // Over the limit: Slack refuses the extra socket (reference/slack.md §1.6).
            try await outbound.write(.text(disconnectFrame(.tooManyWebsockets)))
            try await outbound.close(.goingAway, reason: "too_many_websockets")
            return
        }
        defer {
            continuation.finish()
            state.withLock { state in
                state.connections[registration.id] = nil
                state.order.removeAll { $0 == registration.id }
            }
        }
        try await outbound.write(.text(helloFrame(numConnections: registration.count, debugReconnects: debugReconnects)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: EventLoopTaskExecutor(channel.eventLoop)) { [self] in
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    if case .text(let text) = message { receive(text) }
                }
            }
            group.addTask {
                for await command in commands {
                    switch command {
                    case .close(let delay, let code):
                        try await Task.sleep(for: delay)
                        try await outbound.close(code, reason: nil)
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func receive(_ text: String) {
        // Slack judges the ack when its frame arrives, not when the delivering task next runs.
        let arrived = ContinuousClock.now
        guard let frame = try? JSONValue.decode(text), let id = frame["envelope_id"]?.string,
              waiter.resolve(id, .acked(payload: frame["payload"], at: arrived))
        else {
            state.withLock { $0.otherFrames.append(text) }
            return
        }
    }

    func helloFrame(numConnections: Int, debugReconnects: Bool) -> String {
        let frame: JSONValue = [
            "type": "hello", "num_connections": .number(Double(numConnections)),
            "debug_info": [
                "host": "applink-sim-1", "build_number": 1,
                "approximate_connection_time": .number(debugReconnects ? 360 : 18060),
            ],
            "connection_info": ["app_id": .string(appID)],
        ]
        return frame.encoded()
    }

    func disconnectFrame(_ reason: DisconnectReason) -> String {
        let frame: JSONValue = ["type": "disconnect", "reason": .string(reason.rawValue), "debug_info": ["host": "applink-sim-1"]]
        return frame.encoded()
    }

    // MARK: Deliveries

    func deliver(
        _ kind: EnvelopeKind, payload: JSONValue, retryAttempt: Int, retryReason: String,
        acceptsResponsePayload: Bool?, timeout: Duration
    ) async throws -> Ack {
        let target: Connection? = state.withLock { state in
            guard !state.order.isEmpty else { return nil }
            let active = state.order.filter { state.connections[$0]?.retiring == false }
            let candidates = active.isEmpty ? state.order : active
            let id = candidates[state.nextTarget % candidates.count]
            state.nextTarget += 1
            return state.connections[id]
        }
        guard let target else { throw SimulatorError("no Socket Mode connection is open") }
        let envelopeID = envelopeIDs.next()
        var envelope: [String: JSONValue] = [
            "envelope_id": .string(envelopeID), "type": .string(kind.rawValue), "payload": payload,
            "accepts_response_payload": .bool(acceptsResponsePayload ?? EnvelopeKind.acceptsResponsePayload(kind, payload: payload)),
        ]
        if kind == .eventsAPI {
            envelope["retry_attempt"] = .number(Double(retryAttempt))
            envelope["retry_reason"] = .string(retryReason)
        }
        waiter.expect(envelopeID, timeout: timeout)
        let started = ContinuousClock.now
        do {
            try await target.writer.write(.text(JSONValue.object(envelope).encoded()))
        } catch {
            waiter.forget(envelopeID)
            throw error
        }
        let outcome = await waiter.wait(envelopeID)
        let ack: Ack
        switch outcome {
        case .acked(let ackPayload, let arrived):
            ack = Ack(envelopeID: envelopeID, kind: kind, acked: true, payload: ackPayload, latency: arrived - started, connection: target.id)
        case .timedOut:
            ack = Ack(envelopeID: envelopeID, kind: kind, acked: false, payload: nil, latency: .now - started, connection: target.id)
        }
        state.withLock { $0.acks.append(ack) }
        return ack
    }

    // MARK: Control

    private func connections(_ id: Int?) -> [Connection] {
        state.withLock { state in
            if let id { return state.connections[id].map { [$0] } ?? [] }
            return state.order.compactMap { state.connections[$0] }
        }
    }

    func sendDisconnect(_ reason: DisconnectReason, to id: Int?, closeAfter: Duration?) async throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        if reason == .warning || reason == .refreshRequested {
            state.withLock { state in
                for connection in targets { state.connections[connection.id]?.retiring = true }
            }
        }
        for connection in targets {
            try await connection.writer.write(.text(disconnectFrame(reason)))
            if let closeAfter { connection.commands.yield(.close(after: closeAfter, code: .goingAway)) }
        }
    }

    func close(_ id: Int?, after delay: Duration = .zero) throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        for connection in targets { connection.commands.yield(.close(after: delay, code: .goingAway)) }
    }

    /// Drops the TCP connection without a close handshake, as a network failure would.
    func drop(_ id: Int?) throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        for connection in targets { connection.channel.close(promise: nil) }
    }

    func ping(_ id: Int?) async throws {
        for connection in connections(id) {
            try await connection.writer.write(.custom(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: "sim-ping"))))
        }
    }

    func sendRaw(_ text: String, to id: Int?) async throws {
        for connection in connections(id) { try await connection.writer.write(.text(text)) }
    }
}

/// Unique envelope ids in UUID form: 20 random hex digits fixed per simulator, then a 12-digit counter.
final class EnvelopeIDs: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<20).map { _ in String(Int.random(in: 0..<16, using: &generator), radix: 16) }.joined()
        let characters = Array(random)
        prefix = "\(String(characters[0..<8]))-\(String(characters[8..<12]))-\(String(characters[12..<16]))-\(String(characters[16..<20]))-"
    }

    func next() -> String {
        let number = String(counter.add(1, ordering: .relaxed).newValue, radix: 16)
        return prefix + String(repeating: "0", count: max(0, 12 - number.count)) + number
    }
}
