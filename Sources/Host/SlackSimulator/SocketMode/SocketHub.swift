import CasebookKit
import NIOCore
import NIOWebSocket
import Synchronization

/// The Socket Mode side of the simulator: single-use tickets become sockets that get `hello`,
/// envelopes go round robin to open sockets and wait for their ack (reference/slack.md §1).
///
/// The sockets themselves are ``SocketConnection`` handlers behind the ``SocketListener``; acks
/// are matched on the socket's event loop as their frames are read.
final class SocketHub: Sendable {
    struct Connection: Sendable {
        var id: Int
        var peer: SocketPeer
        var debugReconnects: Bool
        /// Sent `warning` or `refresh_requested`: new deliveries go to other sockets while there
        /// are any, as the handover of reference/slack.md §1.6 intends.
        var retiring = false
    }

    struct State {
        /// Open sockets, oldest first (at most `maximumConnections`, so lookups by id scan a few).
        var sockets: [Connection] = []
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

    var openConnections: [Int] { state.withLock { $0.sockets.map(\.id) } }
    var acks: [Ack] { state.withLock { $0.acks } }
    var otherFrames: [String] { state.withLock { $0.otherFrames } }
    var totalConnections: Int { state.withLock { $0.totalConnections } }

    /// Admits an upgraded socket; nil when `maximumConnections` are already open.
    func register(_ peer: SocketPeer, debugReconnects: Bool) -> (id: Int, count: Int)? {
        state.withLock { state in
            if state.sockets.count >= maximumConnections { return nil }
            let id = state.nextID
            state.nextID += 1
            state.totalConnections += 1
            state.sockets.append(Connection(id: id, peer: peer, debugReconnects: debugReconnects))
            return (id, state.sockets.count)
        }
    }

    func unregister(_ id: Int) {
        state.withLock { $0.sockets.removeAll { $0.id == id } }
    }

    /// A text message from a client, on its socket's loop: an ack resolves its delivery at once.
    func receive(_ text: ByteBuffer, at arrived: ContinuousClock.Instant) {
        guard let frame = try? JSONValue.decode(bytes: text.readableBytesView), let id = frame["envelope_id"]?.string,
              waiter.resolve(id, .acked(payload: frame["payload"], at: arrived))
        else {
            state.withLock { $0.otherFrames.append(String(buffer: text)) }
            return
        }
    }

    func helloFrame(numConnections: Int, debugReconnects: Bool) -> ByteBuffer {
        let frame: JSONValue = [
            "type": "hello", "num_connections": .number(Double(numConnections)),
            "debug_info": [
                "host": "applink-sim-1", "build_number": 1,
                "approximate_connection_time": .number(debugReconnects ? 360 : 18060),
            ],
            "connection_info": ["app_id": .string(appID)],
        ]
        return ByteBuffer(bytes: frame.encodedBytes())
    }

    func disconnectFrame(_ reason: DisconnectReason) -> ByteBuffer {
        let frame: JSONValue = ["type": "disconnect", "reason": .string(reason.rawValue), "debug_info": ["host": "applink-sim-1"]]
        return ByteBuffer(bytes: frame.encodedBytes())
    }

    // MARK: Deliveries

    func deliver(
        _ kind: EnvelopeKind, payload: JSONValue, retryAttempt: Int, retryReason: String,
        acceptsResponsePayload: Bool?, timeout: Duration
    ) async throws -> Ack {
        guard let target = state.withLock({ Self.nextTarget(&$0) }) else { throw SimulatorError("no Socket Mode connection is open") }
        let envelopeID = envelopeIDs.next()
        var envelope: [String: JSONValue] = [
            "envelope_id": .string(envelopeID), "type": .string(kind.rawValue), "payload": payload,
            "accepts_response_payload": .bool(acceptsResponsePayload ?? EnvelopeKind.acceptsResponsePayload(kind, payload: payload)),
        ]
        if kind == .eventsAPI {
            envelope["retry_attempt"] = .number(Double(retryAttempt))
            envelope["retry_reason"] = .string(retryReason)
        }
        let frame = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: JSONValue.object(envelope).encodedBytes()))
        waiter.expect(envelopeID, timeout: timeout)
        let written = target.peer.channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [waiter] error in waiter.resolve(envelopeID, .unsent(error)) }
        let started = ContinuousClock.now
        target.peer.write(frame, promise: written)
        let ack: Ack
        switch await waiter.wait(envelopeID) {
        case .acked(let ackPayload, let arrived):
            ack = Ack(envelopeID: envelopeID, kind: kind, acked: true, payload: ackPayload, latency: arrived - started, connection: target.id)
        case .timedOut:
            ack = Ack(envelopeID: envelopeID, kind: kind, acked: false, payload: nil, latency: .now - started, connection: target.id)
        case .unsent(let error):
            throw error
        }
        state.withLock { $0.acks.append(ack) }
        return ack
    }

    /// Round robin over the sockets not retiring; over all of them when every one is.
    private static func nextTarget(_ state: inout State) -> Connection? {
        let count = state.sockets.count
        guard count > 0 else { return nil }
        for step in 0..<count {
            let index = (state.nextTarget + step) % count
            if !state.sockets[index].retiring {
                state.nextTarget += step + 1
                return state.sockets[index]
            }
        }
        defer { state.nextTarget += 1 }
        return state.sockets[state.nextTarget % count]
    }

    // MARK: Control

    private func connections(_ id: Int?) -> [Connection] {
        state.withLock { state in
            if let id { return state.sockets.filter { $0.id == id } }
            return state.sockets
        }
    }

    func sendDisconnect(_ reason: DisconnectReason, to id: Int?, closeAfter: Duration?) async throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        if reason == .warning || reason == .refreshRequested {
            state.withLock { state in
                for index in state.sockets.indices where targets.contains(where: { $0.id == state.sockets[index].id }) {
                    state.sockets[index].retiring = true
                }
            }
        }
        for connection in targets {
            try await connection.peer.send(text: disconnectFrame(reason))
            if let closeAfter { connection.peer.close(after: closeAfter, code: .goingAway) }
        }
    }

    func close(_ id: Int?, after delay: Duration = .zero) throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        for connection in targets { connection.peer.close(after: delay, code: .goingAway) }
    }

    /// Drops the TCP connection without a close handshake, as a network failure would.
    func drop(_ id: Int?) throws {
        let targets = connections(id)
        if targets.isEmpty { throw SimulatorError("no such Socket Mode connection") }
        for connection in targets { connection.peer.drop() }
    }

    func ping(_ id: Int?) async throws {
        for connection in connections(id) {
            try await connection.peer.send(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: SocketConnection.pingData)))
        }
    }

    func sendRaw(_ text: String, to id: Int?) async throws {
        for connection in connections(id) { try await connection.peer.send(text: ByteBuffer(string: text)) }
    }

    /// Closes every socket (close frame, then TCP close) and waits until they are closed.
    func closeAll() async {
        await withTaskGroup(of: Void.self) { group in
            for connection in connections(nil) {
                group.addTask { await connection.peer.shutdown() }
            }
        }
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
