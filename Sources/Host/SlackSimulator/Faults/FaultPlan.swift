import Foundation
import Synchronization

/// Injected misbehaviour of the Web API: latency, 429s with `Retry-After`, and 5xx answers,
/// consumed call by call. Socket drops live with the sockets (``SocketHub``).
final class FaultPlan: Sendable {
    /// What to do with one call before Slack would even look at it.
    enum Verdict: Sendable, Equatable {
        case proceed
        case rateLimited(retryAfter: Int)
        case serverError(status: Int)
    }

    private struct Plan {
        var latency: [String: Duration] = [:]
        var rateLimited: [String: (remaining: Int, retryAfter: Int)] = [:]
        var serverErrors: [String: (remaining: Int, status: Int)] = [:]
        var lostResponses: [String: Int] = [:]
    }

    /// The key used for "every method".
    static let everyMethod = "*"
    private let plan = Mutex(Plan())
    /// Calls held until several are in flight together.
    let gathering = CallGathering()

    func setLatency(_ latency: Duration?, for method: String) {
        plan.withLock { $0.latency[method] = latency }
    }

    func latency(for method: String) -> Duration? {
        plan.withLock { $0.latency[method] ?? $0.latency[Self.everyMethod] }
    }

    func rateLimit(_ method: String, count: Int, retryAfter: Int) {
        plan.withLock { $0.rateLimited[method] = (count, retryAfter) }
    }

    func serverError(_ method: String, count: Int, status: Int) {
        plan.withLock { $0.serverErrors[method] = (count, status) }
    }

    /// Consumes one planned fault for `method`, if any (429s first, then 5xx).
    func verdict(for method: String) -> Verdict {
        plan.withLock { plan in
            for key in [method, Self.everyMethod] {
                if let entry = plan.rateLimited[key], entry.remaining > 0 {
                    plan.rateLimited[key] = (entry.remaining - 1, entry.retryAfter)
                    return .rateLimited(retryAfter: entry.retryAfter)
                }
            }
            for key in [method, Self.everyMethod] {
                if let entry = plan.serverErrors[key], entry.remaining > 0 {
                    plan.serverErrors[key] = (entry.remaining - 1, entry.status)
                    return .serverError(status: entry.status)
                }
            }
            return .proceed
        }
    }

    /// The next `count` calls of `method` are performed, then answered with HTTP 503 as if the
    /// response had been lost on the way back: the caller cannot tell whether Slack did it.
    func loseResponses(_ method: String, count: Int) {
        plan.withLock { $0.lostResponses[method] = count }
    }

    /// Consumes one planned lost response for `method`, if any.
    func losesResponse(for method: String) -> Bool {
        plan.withLock { plan in
            for key in [method, Self.everyMethod] {
                if let remaining = plan.lostResponses[key], remaining > 0 {
                    plan.lostResponses[key] = remaining - 1
                    return true
                }
            }
            return false
        }
    }

    func clear() {
        plan.withLock { $0 = Plan() }
        gathering.clear()
    }
}
