import Foundation
import Synchronization

/// Optional enforcement of Slack's per-method rate tiers (reference/slack.md §5.1), per minute,
/// off by default so ordinary tests are never throttled.
final class RateTiers: Sendable {
    private struct Window {
        var enabled = false
        var calls: [String: [ContinuousClock.Instant]] = [:]
    }

    private let window = Mutex(Window())

    /// Calls per minute allowed per tier; `t5` ("special") is treated like Tier 4.
    static func budget(_ tier: String) -> Int {
        switch tier {
        case "t1": return 1
        case "t2": return 20
        case "t3": return 50
        default: return 100
        }
    }

    func setEnabled(_ enabled: Bool) {
        window.withLock { $0.enabled = enabled; $0.calls = [:] }
    }

    /// Records a call; returns the seconds to wait when it exceeds the tier's budget.
    func admit(_ method: String, tier: String) -> Int? {
        let now = ContinuousClock.now
        return window.withLock { window in
            guard window.enabled else { return nil }
            var recent = (window.calls[method] ?? []).filter { now - $0 < .seconds(60) }
            if recent.count >= Self.budget(tier), let oldest = recent.first {
                let wait = Duration.seconds(60) - (now - oldest)
                return max(1, Int(wait.components.seconds) + 1)
            }
            recent.append(now)
            window.calls[method] = recent
            return nil
        }
    }
}
