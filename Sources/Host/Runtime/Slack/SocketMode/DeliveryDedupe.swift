import CasebookKit
import Synchronization

/// Remembers which Slack deliveries were already handled, so a redelivered envelope or a retried
/// event is acknowledged without running its handler twice. Both transports share one instance for
/// Events API `event_id`s (the only deliveries Slack retries, reference/slack.md §1.5), keyed
/// `event:<event_id>` so an event that arrives once over Socket Mode and again over HTTP is still
/// recognised.
public protocol DeliveryDedupe: Sendable {
    /// Returns `true` the first time `key` is seen (and records it), `false` for every repeat
    /// within the implementation's retention window.
    func firstDelivery(key: String) async -> Bool
}

/// Dedupe keys for the deliveries both transports see.
enum DeliveryKey {
    static func event(_ id: String) -> String { "event:\(id)" }
}

/// Process-local dedupe with a time-to-live, answered synchronously under a lock (no suspension,
/// so it costs nothing on the ack path). Slack retries an event for about 5 minutes (immediately,
/// +1 min, +5 min), so the default one-hour window covers every retry; the capacity bound keeps a
/// flood of unique ids from growing memory without limit. A durable implementation (shared by
/// replicas) comes from storage.
public final class InMemoryDeliveryDedupe: DeliveryDedupe {
    fileprivate struct Log {
        var seen: [String: ContinuousClock.Instant] = [:]
        /// Insertion order, for expiring the oldest entries first.
        var order: [(key: String, at: ContinuousClock.Instant)] = []
        var orderStart = 0
    }

    private let ttl: Duration
    private let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private let log = Mutex(Log())

    public init(
        ttl: Duration = .seconds(3600),
        capacity: Int = 100_000,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.ttl = ttl
        self.capacity = max(1, capacity)
        self.now = now
    }

    public func firstDelivery(key: String) -> Bool {
        let now = self.now()
        return log.withLock { log in
            log.expire(before: now - ttl)
            if let at = log.seen[key], now - at < ttl { return false }
            log.seen[key] = now
            log.order.append((key, now))
            while log.seen.count > capacity, log.orderStart < log.order.count {
                log.dropOldest()
            }
            log.compactIfNeeded()
            return true
        }
    }
}

extension InMemoryDeliveryDedupe.Log {
    mutating func expire(before cutoff: ContinuousClock.Instant) {
        while orderStart < order.count, order[orderStart].at <= cutoff { dropOldest() }
    }

    mutating func dropOldest() {
        let oldest = order[orderStart]
        orderStart += 1
        if seen[oldest.key] == oldest.at { seen[oldest.key] = nil }
    }

    mutating func compactIfNeeded() {
        if orderStart > 1024, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }
}
