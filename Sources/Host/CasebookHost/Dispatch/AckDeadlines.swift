import CasebookKit
import NIOCore
import Synchronization

/// Expires every ``ReplyHandoff`` still undecided at its ack deadline, from one long-lived task
/// (the dispatcher's).
///
/// A timer per delivery (a task group racing a sleep) was a measurable share of the ack path.
/// Deadlines are `receivedAt + budget` with one budget, so they arrive almost in order: a FIFO
/// queue and a single sleep until its head replace a timer heap. The sweeper wakes at most every
/// `granularity`, so a handoff may expire up to that much after its deadline.
final class AckDeadlines: Sendable {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var handoff: ReplyHandoff
    }

    private struct State {
        var queue = CircularBuffer<Entry>()
        /// The sweeper, parked while the queue is empty.
        var idle: CheckedContinuation<Void, Never>?
        var stopped = false
    }

    private let granularity: Duration
    private let state = Mutex(State())

    init(granularity: Duration = .milliseconds(5)) {
        self.granularity = granularity
    }

    /// Expires `handoff` at `deadline` unless it is settled by then. After ``run()`` ended, the
    /// handoff expires at once, so no transport waits on a sweeper that is gone.
    func watch(_ handoff: ReplyHandoff, until deadline: ContinuousClock.Instant) {
        let (stopped, sweeper) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            if state.stopped { return (true, nil) }
            state.queue.append(Entry(deadline: deadline, handoff: handoff))
            defer { state.idle = nil }
            return (false, state.idle)
        }
        if stopped { handoff.expire() }
        sweeper?.resume()
    }

    /// Sweeps until the task is cancelled, then expires whatever is left.
    func run() async {
        var lastSweep = ContinuousClock.now
        while !Task.isCancelled {
            guard let head = await nextDeadline() else { break }
            do {
                try await Task.sleep(until: max(head, lastSweep + granularity), clock: .continuous)
            } catch {
                break
            }
            lastSweep = .now
            sweep(upTo: lastSweep)
        }
        let left = state.withLock { state -> CircularBuffer<Entry> in
            state.stopped = true
            defer { state.queue.removeAll() }
            return state.queue
        }
        for entry in left { entry.handoff.expire() }
    }

    /// The earliest deadline, parking until there is one; nil when cancelled.
    private func nextDeadline() async -> ContinuousClock.Instant? {
        if let head = state.withLock({ $0.queue.first?.deadline }) { return head }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if !state.queue.isEmpty || state.stopped || Task.isCancelled { return true }
                    state.idle = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.idle = nil }
                return state.idle
            }?.resume()
        }
        if Task.isCancelled { return nil }
        return state.withLock { $0.queue.first?.deadline }
    }

    private func sweep(upTo now: ContinuousClock.Instant) {
        let due = state.withLock { state -> [ReplyHandoff] in
            var due: [ReplyHandoff] = []
            while let head = state.queue.first, head.deadline <= now {
                state.queue.removeFirst()
                due.append(head.handoff)
            }
            return due
        }
        for handoff in due { handoff.expire() }
    }
}
