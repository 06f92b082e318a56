import CasebookKit
import Synchronization

/// Hands a handler's reply from the worker to the transport that must ack within the budget.
/// Exactly one side wins: either the transport takes the reply into the ack, or the budget ran out
/// first (``AckDeadlines`` expires the handoff) and the worker delivers the reply later itself.
///
/// One continuation and one lock per delivery: no timer and no extra task, because this sits on
/// the path of every ack.
final class ReplyHandoff: Sendable {
    private enum State {
        case pending
        case waiting(CheckedContinuation<Reply?, Never>)
        case ready(Reply)
        case taken
        case expired
    }

    private let state = Mutex<State>(.pending)

    /// Offers the reply; returns false when the transport already acked without it.
    func offer(_ reply: Reply) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Reply?, Never>?) in
            switch state {
            case .pending:
                state = .ready(reply)
                return (true, nil)
            case .waiting(let continuation):
                state = .taken
                return (true, continuation)
            case .ready, .taken, .expired:
                return (false, nil)
            }
        }
        waiter?.resume(returning: reply)
        return accepted
    }

    /// Ends the wait without a reply (the budget ran out, or the transport gave up), unless a reply
    /// was already accepted.
    func expire() {
        let waiter = state.withLock { state -> CheckedContinuation<Reply?, Never>? in
            switch state {
            case .pending:
                state = .expired
                return nil
            case .waiting(let continuation):
                state = .expired
                return continuation
            case .ready, .taken, .expired:
                // A reply already accepted is the transport's to send; the worker will not.
                return nil
            }
        }
        waiter?.resume(returning: nil)
    }

    /// Waits for the reply; nil when the handoff expired first. Cancelling the waiting task expires it.
    func wait() async -> Reply? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate = state.withLock { state -> Reply?? in
                    switch state {
                    case .pending:
                        state = .waiting(continuation)
                        return .none
                    case .ready(let reply):
                        state = .taken
                        return .some(reply)
                    case .expired, .taken, .waiting:
                        return .some(nil)
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            expire()
        }
    }
}
