import CasebookKit
import Synchronization

/// Matches ack frames to delivered envelopes. Whichever comes first — the ack or the timeout —
/// decides the outcome; a late ack is ignored, as Slack would already have retried.
///
/// Timeouts are checked by one sweeper (``run()``, part of the simulator's service) every
/// `tick` while deliveries are outstanding, instead of a sleeping task per delivery: the simulator
/// shares the benchmark's CPU with the host it measures.
final class AckWaiter: Sendable {
    enum Outcome: Sendable {
        /// `at`: when the ack frame arrived.
        case acked(payload: JSONValue?, at: ContinuousClock.Instant)
        case timedOut
        /// The envelope never left: its socket failed the write (closed meanwhile).
        case unsent(any Error)
    }

    private enum Slot {
        case waiting(CheckedContinuation<Outcome, Never>?, deadline: ContinuousClock.Instant)
        case done(Outcome)
    }

    private struct State {
        var slots: [String: Slot] = [:]
        /// The sweeper, parked while nothing is outstanding.
        var idleSweeper: CheckedContinuation<Void, Never>?
        /// Set when the sweeper has stopped: timeouts are then decided at once.
        var stopped = false
    }

    private let state = Mutex(State())
    private let tick: Duration

    init(tick: Duration = .milliseconds(10)) {
        self.tick = tick
    }

    /// Must be called before the envelope is sent, so an instant ack is not lost.
    func expect(_ id: String, timeout: Duration) {
        let sweeper = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.slots[id] = .waiting(nil, deadline: .now + timeout)
            defer { state.idleSweeper = nil }
            return state.idleSweeper
        }
        sweeper?.resume()
    }

    /// Drops an envelope that could not be sent.
    func forget(_ id: String) {
        state.withLock { _ = $0.slots.removeValue(forKey: id) }
    }

    /// Resolves a slot; returns false when nothing was waiting (unknown or already timed out).
    @discardableResult
    func resolve(_ id: String, _ outcome: Outcome) -> Bool {
        let continuation: CheckedContinuation<Outcome, Never>?? = state.withLock { state in
            guard case .waiting(let continuation, _) = state.slots[id] else { return nil }
            if let continuation {
                state.slots[id] = nil
                return .some(continuation)
            }
            state.slots[id] = .done(outcome)
            return .some(nil)
        }
        guard let continuation else { return false }
        continuation?.resume(returning: outcome)
        return true
    }

    /// Waits for the outcome of an envelope announced with ``expect(_:timeout:)``.
    func wait(_ id: String) async -> Outcome {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let finished: Outcome? = state.withLock { state in
                switch state.slots[id] {
                case .done(let outcome):
                    state.slots[id] = nil
                    return outcome
                case .waiting(_, let deadline) where !state.stopped:
                    state.slots[id] = .waiting(continuation, deadline: deadline)
                    return nil
                case .waiting, nil:
                    state.slots[id] = nil
                    return .timedOut
                }
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }

    /// Times out overdue deliveries until cancelled; then times out everything still waiting.
    func run() async {
        while !Task.isCancelled {
            await parkWhileIdle()
            do {
                try await Task.sleep(for: tick)
            } catch {
                break
            }
            for id in overdue(at: .now) { resolve(id, .timedOut) }
        }
        let waiting = state.withLock { state -> [String] in
            state.stopped = true
            return Array(state.slots.keys)
        }
        for id in waiting { resolve(id, .timedOut) }
    }

    private func overdue(at now: ContinuousClock.Instant) -> [String] {
        state.withLock { state in
            state.slots.compactMap { id, slot in
                if case .waiting(_, let deadline) = slot, deadline <= now { return id }
                return nil
            }
        }
    }

    private func parkWhileIdle() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    let outstanding = state.slots.values.contains { if case .waiting = $0 { return true } else { return false } }
                    if outstanding || Task.isCancelled { return true }
                    state.idleSweeper = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.idleSweeper = nil }
                return state.idleSweeper
            }?.resume()
        }
    }
}
