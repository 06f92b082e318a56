import CasebookKit
import Synchronization

/// What one socket reports to the slot that owns it.
enum SocketEvent: Sendable {
    case hello(socket: Int)
    case disconnect(socket: Int, reason: String)
    case ended(socket: Int, error: (any Error)?)
}

/// State one socket shares between its reader, its envelope tasks and its slot: whether it has
/// said hello, whether it is closing, and how many envelopes are still waiting for their ack, so a
/// close can wait for them. A socket being replaced keeps taking envelopes until its close frame
/// goes out (Slack may still deliver on it, and a slash command is never redelivered); one closing
/// for shutdown stops taking them at once.
final class SocketControl: Sendable {
    let id: Int
    private struct State {
        var helloReceived = false
        var helloTimedOut = false
        var closing = false
        /// Whether envelopes are still admitted while closing (a replacement, not a shutdown).
        var admitsWhileClosing = true
        /// Set once the close frame is about to be sent: nothing can be acked after it.
        var closeFrameSent = false
        var ended = false
        var inFlight = 0
    }
    private let state = Mutex(State())
    private let closeSignal: AsyncStream<Void>
    private let closeTrigger: AsyncStream<Void>.Continuation

    init(id: Int) {
        self.id = id
        (closeSignal, closeTrigger) = AsyncStream.makeStream(of: Void.self)
    }

    /// Asks the socket to ack the envelopes in flight, then close. `admitting` keeps it taking
    /// envelopes until the close frame goes out (a socket being replaced); without it the socket
    /// stops taking them now (shutdown). Idempotent; a later call can only make it stricter.
    func requestClose(admitting: Bool = false) {
        state.withLock { state in
            state.admitsWhileClosing = (state.closing ? state.admitsWhileClosing : true) && admitting
            state.closing = true
        }
        closeTrigger.finish()
    }

    /// Marks the close frame as going out if nothing is in flight; false while acks are pending.
    func closeIfIdle() -> Bool {
        state.withLock { state in
            guard state.inFlight == 0 else { return false }
            state.closeFrameSent = true
            return true
        }
    }

    /// Marks the close frame as going out whatever is in flight (the drain timed out).
    func closeNow() {
        state.withLock { $0.closeFrameSent = true }
    }

    /// Returns once `requestClose()` was called (or the waiting task is cancelled).
    func closeRequested() async {
        for await _ in closeSignal {}
    }

    /// Records `hello`; true only the first time.
    func markHello() -> Bool {
        state.withLock { state in
            defer { state.helloReceived = true }
            return !state.helloReceived
        }
    }

    var helloReceived: Bool { state.withLock { $0.helloReceived } }

    /// Marks the socket as abandoned for lack of `hello`; false if hello arrived meanwhile.
    func markHelloTimedOut() -> Bool {
        state.withLock { state in
            guard !state.helloReceived else { return false }
            state.helloTimedOut = true
            return true
        }
    }

    var helloTimedOut: Bool { state.withLock { $0.helloTimedOut } }

    /// Records that the socket is gone; true only the first time, so the slot hears of it once
    /// (as soon as the socket closes, although its handlers may still be finishing).
    func markEnded() -> Bool {
        state.withLock { state in
            defer { state.ended = true }
            return !state.ended
        }
    }

    /// Admits one envelope for handling; false once the socket no longer takes envelopes (the
    /// envelope is then left unacked, for Slack to redeliver on another socket).
    func beginEnvelope() -> Bool {
        state.withLock { state in
            guard !state.closeFrameSent, !state.closing || state.admitsWhileClosing else { return false }
            state.inFlight += 1
            return true
        }
    }

    func endEnvelope() {
        state.withLock { $0.inFlight -= 1 }
    }

}

/// Every socket the service has open, for readiness and for closing them all on shutdown.
final class SocketRegistry: Sendable {
    private struct State {
        var shuttingDown = false
        var nextID = 0
        var live: [Int: SocketControl] = [:]
        var ready: Set<Int> = []
    }
    private let state = Mutex(State())

    /// A control for a new socket, or nil once shutdown has begun.
    func register() -> SocketControl? {
        state.withLock { state in
            guard !state.shuttingDown else { return nil }
            state.nextID += 1
            let control = SocketControl(id: state.nextID)
            state.live[control.id] = control
            return control
        }
    }

    func markReady(_ id: Int) {
        state.withLock { state in
            if state.live[id] != nil { state.ready.insert(id) }
        }
    }

    func remove(_ id: Int) {
        state.withLock { state in
            state.live[id] = nil
            state.ready.remove(id)
        }
    }

    var readyCount: Int { state.withLock { $0.ready.count } }
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Marks shutdown and returns the sockets that must now close.
    func beginShutdown() -> [SocketControl] {
        state.withLock { state in
            state.shuttingDown = true
            state.ready.removeAll()
            return Array(state.live.values)
        }
    }
}
