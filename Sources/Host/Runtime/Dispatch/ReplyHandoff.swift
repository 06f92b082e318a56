import CasebookKit
import Synchronization

/// Decides, once, whether a handler's reply made the ack: either the handler offers its reply
/// first, or ``AckDeadlines`` expires the handoff at the budget and the transport acks empty (the
/// worker then delivers the reply itself). One lock per delivery: no timer and no extra task,
/// because this sits on the path of every ack.
final class ReplyHandoff: Sendable {
    private enum State { case pending, offered, expired }
    private let state = Mutex(State.pending)
    /// Acks empty; called by the sweeper when it wins.
    private let onExpiry: @Sendable () -> Void

    init(onExpiry: @escaping @Sendable () -> Void) {
        self.onExpiry = onExpiry
    }

    /// True when the reply is in time for the ack; false when the budget already ran out.
    func offer() -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .offered
            return true
        }
    }

    /// Expires the handoff unless the reply was offered, and then acks empty.
    func expire() {
        let won = state.withLock { state in
            guard case .pending = state else { return false }
            state = .expired
            return true
        }
        if won { onExpiry() }
    }
}
