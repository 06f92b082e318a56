import Foundation
import Synchronization

/// Holds calls of some methods until a number of them are waiting at once, then answers them all:
/// a test sees that an app makes calls concurrently without slowing every call down and hoping
/// they overlap. Calls made one after another never gather; each is answered when it has waited
/// `timeout`, so the test fails (slowly) instead of hanging. One gathering at a time, once.
final class CallGathering: Sendable {
    private struct Gathering {
        var methods: Set<String>
        var count: Int
        var timeout: Duration
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Calls whose timeout fired before they had started to wait.
        var expired: Set<Int> = []
        var gathered = false
    }

    private let state = Mutex<(gathering: Gathering?, nextID: Int)>((nil, 0))

    func gather(_ methods: Set<String>, count: Int, timeout: Duration) {
        state.withLock { $0.gathering = Gathering(methods: methods, count: count, timeout: timeout) }
    }

    /// Ends the gathering; calls still held are answered.
    func clear() {
        let held = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.gathering = nil }
            return state.gathering.map { Array($0.waiting.values) } ?? []
        }
        for continuation in held { continuation.resume() }
    }

    /// Returns at once unless `method` is being gathered; then when the gathering is complete or
    /// this call has waited the gathering's timeout.
    func wait(for method: String) async {
        let ticket: (id: Int, timeout: Duration)? = state.withLock { state in
            guard let gathering = state.gathering, !gathering.gathered, gathering.methods.contains(method) else { return nil }
            state.nextID += 1
            return (state.nextID, gathering.timeout)
        }
        guard let ticket else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await withCheckedContinuation { self.hold(ticket.id, $0) } }
            group.addTask {
                guard (try? await Task.sleep(for: ticket.timeout)) != nil else { return }
                self.release(ticket.id)
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func hold(_ id: Int, _ continuation: CheckedContinuation<Void, Never>) {
        let released = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard var gathering = state.gathering, !gathering.gathered, !gathering.expired.contains(id) else { return [continuation] }
            gathering.waiting[id] = continuation
            guard gathering.waiting.count >= gathering.count else {
                state.gathering = gathering
                return []
            }
            gathering.gathered = true
            let all = Array(gathering.waiting.values)
            gathering.waiting = [:]
            state.gathering = gathering
            return all
        }
        for continuation in released { continuation.resume() }
    }

    private func release(_ id: Int) {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.gathering != nil else { return nil }
            guard let continuation = state.gathering?.waiting.removeValue(forKey: id) else {
                state.gathering?.expired.insert(id)
                return nil
            }
            return continuation
        }
        continuation?.resume()
    }
}
