import CasebookKit
import Foundation
import SlackMethods
import Synchronization

/// Optional enforcement of Slack's per-method rate tiers (reference/slack.md §5.1), per minute, and
/// of `chat.postMessage`'s one message a second per channel (with a short burst); off by default
/// so ordinary tests are never throttled.
final class RateTiers: Sendable {
    private struct Window {
        var enabled = false
        var calls: [String: [Date]] = [:]
        /// Per channel: messages left in the burst and when the bucket was last refilled.
        var channels: [String: (tokens: Double, at: Date)] = [:]
    }

    /// Messages a channel takes at once before the one-a-second pace applies.
    static let messageBurst = 6.0

    private let window = Mutex(Window())
    /// The simulator's clock, so tests with a test clock decide when time passes.
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Calls per minute allowed per tier; "special" is treated like Tier 4.
    static func budget(_ tier: SlackRateTier) -> Int {
        switch tier {
        case .tier1: return 1
        case .tier2: return 20
        case .tier3: return 50
        case .tier4, .special: return 100
        }
    }

    func setEnabled(_ enabled: Bool) {
        window.withLock { $0 = Window(); $0.enabled = enabled }
    }

    /// Records a call; returns the seconds to wait when it exceeds the tier's budget or, for a
    /// message, its channel's pace.
    func admit(_ method: String, tier: SlackRateTier, channel: String? = nil) -> Int? {
        let now = clock.now()
        return window.withLock { window in
            guard window.enabled else { return nil }
            if method == "chat.postMessage", let channel {
                var bucket = window.channels[channel] ?? (Self.messageBurst, now)
                bucket.tokens = min(Self.messageBurst, bucket.tokens + now.timeIntervalSince(bucket.at))
                bucket.at = now
                guard bucket.tokens >= 1 else {
                    window.channels[channel] = bucket
                    return max(1, Int(((1 - bucket.tokens)).rounded(.up)))
                }
                bucket.tokens -= 1
                window.channels[channel] = bucket
            }
            var recent = (window.calls[method] ?? []).filter { now.timeIntervalSince($0) < 60 }
            if recent.count >= Self.budget(tier), let oldest = recent.first {
                return max(1, Int((60 - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            recent.append(now)
            window.calls[method] = recent
            return nil
        }
    }
}
