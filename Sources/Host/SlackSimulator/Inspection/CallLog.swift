import CasebookKit
import Synchronization

/// One Web API request as the simulator answered it.
public struct APICallRecord: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case ok
        /// `ok: false` with this error code (HTTP 200, or 429 for `ratelimited`).
        case error(String)
        /// An injected HTTP failure (5xx).
        case httpStatus(Int)
    }

    public var method: String
    /// The arguments Slack read (form fields as strings; JSON body values as sent). No token.
    public var arguments: [String: JSONValue]
    public var started: ContinuousClock.Instant
    public var ended: ContinuousClock.Instant
    public var outcome: Outcome

    public var isOK: Bool { outcome == .ok }
}

/// Every Web API call, in arrival order.
final class CallLog: Sendable {
    private let records = Mutex<[APICallRecord]>([])

    func append(_ record: APICallRecord) {
        records.withLock { $0.append(record) }
    }

    var all: [APICallRecord] { records.withLock { $0 } }

    func clear() { records.withLock { $0.removeAll() } }
}

extension Array where Element == APICallRecord {
    /// The largest number of calls (optionally of one method) that were in flight at the same time.
    public func maximumConcurrency(of method: String? = nil) -> Int {
        let calls = filter { method == nil || $0.method == method }
        var points: [(ContinuousClock.Instant, Int)] = []
        for call in calls { points.append((call.started, 1)); points.append((call.ended, -1)) }
        points.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        var current = 0
        var best = 0
        for point in points { current += point.1; best = Swift.max(best, current) }
        return best
    }
}
