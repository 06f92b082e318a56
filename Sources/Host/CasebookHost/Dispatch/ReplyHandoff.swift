import CasebookKit
import Synchronization

/// Decides, once, whether a handler's reply made the ack: either the handler offers its reply
/// first, or ``AckDeadlines`` expires the handoff at the budget and the transport acks empty (the
/// worker then delivers the reply itself). One lock per delivery: no timer and no extra task,
/// because this sits on the path of every ack.
final class ReplyHandoff: Sendable {
    /// Pending holds the empty-ack closure, and only pending does: the sweeper keeps every handoff
    /// until its deadline (seconds, thousands of them under load), so whatever the closure captures
    /// (the envelope, its socket) is let go the moment the reply wins.
    private enum State { case pending(@Sendable () -> Void), offered, expired }
    private let state: Mutex<State>

    /// - Parameter onExpiry: acks empty; called by the sweeper when it wins.
    init(onExpiry: @escaping @Sendable () -> Void) {
        state = Mutex(.pending(onExpiry))
    }

    /// True when the reply is in time for the ack; false when the budget already ran out.
    func offer() -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .offered
            return true
        }
    }

    /// Called by the sweeper at the deadline; acks empty unless the reply was offered first.
    func expire() {
        let onExpiry = state.withLock { state -> (@Sendable () -> Void)? in
            guard case .pending(let onExpiry) = state else { return nil }
            state = .expired
            return onExpiry
        }
        onExpiry?()
    }
}
