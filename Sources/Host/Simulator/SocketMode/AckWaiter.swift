import CasebookKit
import Synchronization

/// Matches ack frames to delivered envelopes. Whichever comes first — the ack or the timeout —
/// decides the outcome; a late ack is ignored, as Slack would already have retried.
final class AckWaiter: Sendable {
    enum Outcome: Sendable {
        case acked(payload: JSONValue?)
        case timedOut
    }

    private enum Slot {
        case waiting(CheckedContinuation<Outcome, Never>?)
        case done(Outcome)
    }

    private let slots = Mutex<[String: Slot]>([:])

    /// Must be called before the envelope is sent, so an instant ack is not lost.
    func expect(_ id: String) {
        slots.withLock { $0[id] = .waiting(nil) }
    }

    /// Resolves a slot; returns false when nothing was waiting (unknown or already timed out).
    @discardableResult
    func resolve(_ id: String, _ outcome: Outcome) -> Bool {
        let continuation: CheckedContinuation<Outcome, Never>?? = slots.withLock { slots in
            guard case .waiting(let continuation) = slots[id] else { return nil }
            if let continuation {
                slots[id] = nil
                return .some(continuation)
            }
            slots[id] = .done(outcome)
            return .some(nil)
        }
        guard let continuation else { return false }
        continuation?.resume(returning: outcome)
        return true
    }

    func wait(_ id: String, timeout: Duration) async -> Outcome {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                try? await Task.sleep(for: timeout)
                resolve(id, .timedOut)
            }
            let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                let finished: Outcome? = slots.withLock { slots in
                    if case .done(let outcome) = slots[id] {
                        slots[id] = nil
                        return outcome
                    }
                    slots[id] = .waiting(continuation)
                    return nil
                }
                if let finished { continuation.resume(returning: finished) }
            }
            group.cancelAll()
            return outcome
        }
    }
}
