import CasebookKit
import Synchronization

/// Hands a handler's reply from the worker to the transport that must ack within the budget.
/// Exactly one side wins: either the transport takes the reply into the ack, or it gave up at the
/// deadline and the worker delivers the reply later itself.
final class ReplyHandoff: Sendable {
    private enum State { case waiting, ready(Reply), timedOut }
    private let state = Mutex<State>(.waiting)
    private let signal: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (signal, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Offers the reply; returns false when the transport already acked without it.
    func offer(_ reply: Reply) -> Bool {
        let taken = state.withLock { state -> Bool in
            if case .timedOut = state { return false }
            state = .ready(reply)
            return true
        }
        continuation.yield()
        continuation.finish()
        return taken
    }

    /// Waits for the reply until `deadline`; nil means the budget ran out.
    func wait(until deadline: ContinuousClock.Instant) async -> Reply? {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [signal] in
                for await _ in signal { break }
            }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
        return state.withLock { state -> Reply? in
            if case .ready(let reply) = state { return reply }
            state = .timedOut
            return nil
        }
    }
}
