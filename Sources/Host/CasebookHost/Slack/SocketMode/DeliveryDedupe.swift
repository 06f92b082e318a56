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
        var seen: [DedupeKey: ContinuousClock.Instant] = [:]
        /// Insertion order, for expiring the oldest entries first.
        var order: [(key: DedupeKey, at: ContinuousClock.Instant)] = []
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

    public func firstDelivery(key text: String) -> Bool {
        let key = DedupeKey(text)
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

/// A remembered key. Slack's envelope ids are lower-case UUIDs, kept as 128 bits: a busy socket
/// remembers tens of thousands of them, and as strings each was a heap allocation to hash, store
/// and free. Anything else is kept as it came.
enum DedupeKey: Hashable, Sendable {
    case uuid(UInt64, UInt64)
    case text(String)

    init(_ text: String) {
        self = Self.uuid(text) ?? .text(text)
    }

    /// The 128 bits of `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lower-case hex, else nil (so two
    /// different strings never share a key).
    private static func uuid(_ text: String) -> DedupeKey? {
        let utf8 = text.utf8
        guard utf8.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in utf8.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            digits += 1
        }
        return .uuid(high, low)
    }
}
