import CasebookKit

/// Remembers which Slack deliveries were already handled, so a redelivered envelope or a retried
/// event is acknowledged without running its handler twice. Both transports share one instance,
/// and keys are namespaced (`envelope:<id>`, `event:<event_id>`) so an event that arrives once
/// over Socket Mode and again over HTTP is still recognised.
public protocol DeliveryDedupe: Sendable {
    /// Returns `true` the first time `key` is seen (and records it), `false` for every repeat
    /// within the implementation's retention window.
    func firstDelivery(key: String) async -> Bool
}

/// Dedupe keys for the deliveries both transports see.
enum DeliveryKey {
    static func envelope(_ id: String) -> String { "envelope:\(id)" }
    static func event(_ id: String) -> String { "event:\(id)" }
}

/// Process-local dedupe with a time-to-live. Slack retries an event for about 5 minutes
/// (immediately, +1 min, +5 min), so the default one-hour window covers every retry; the capacity
/// bound keeps a flood of unique ids from growing memory without limit. A durable implementation
/// (shared by replicas) comes from storage.
public actor InMemoryDeliveryDedupe: DeliveryDedupe {
    private let ttl: Duration
    private let capacity: Int
    private let now: @Sendable () -> ContinuousClock.Instant
    private var seen: [String: ContinuousClock.Instant] = [:]
    /// Insertion order, for expiring the oldest entries first.
    private var order: [(key: String, at: ContinuousClock.Instant)] = []
    private var orderStart = 0

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
        expire(before: now - ttl)
        if let at = seen[key], now - at < ttl { return false }
        seen[key] = now
        order.append((key, now))
        while seen.count > capacity, orderStart < order.count {
            let oldest = order[orderStart]
            orderStart += 1
            if seen[oldest.key] == oldest.at { seen[oldest.key] = nil }
        }
        compactIfNeeded()
        return true
    }

    private func expire(before cutoff: ContinuousClock.Instant) {
        while orderStart < order.count, order[orderStart].at <= cutoff {
            let oldest = order[orderStart]
            orderStart += 1
            if seen[oldest.key] == oldest.at { seen[oldest.key] = nil }
        }
    }

    private func compactIfNeeded() {
        if orderStart > 1024, orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }
}
