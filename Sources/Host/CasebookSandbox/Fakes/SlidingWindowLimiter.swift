import Foundation

/// Admits at most `limit` hits per key within any `window`-long stretch of time, the way
/// PagerDuty counts events per integration key; the fakes use it to answer 429 like the vendor.
struct SlidingWindowLimiter: Sendable {
    var limit: Int
    var window: TimeInterval
    private var hits: [String: [Date]] = [:]

    init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Counts a hit and returns true, or returns false (counting nothing) when the key is at its limit.
    mutating func admit(_ key: String, at now: Date) -> Bool {
        var recent = hits[key, default: []].filter { now.timeIntervalSince($0) < window }
        defer { hits[key] = recent }
        guard recent.count < limit else { return false }
        recent.append(now)
        return true
    }

    /// Hits the key has left in the current window.
    func remaining(_ key: String, at now: Date) -> Int {
        max(0, limit - hits[key, default: []].filter { now.timeIntervalSince($0) < window }.count)
    }

    /// Whole seconds until the oldest counted hit leaves the window (0 when nothing is counted).
    func secondsUntilReset(_ key: String, at now: Date) -> Int {
        guard let oldest = hits[key, default: []].first(where: { now.timeIntervalSince($0) < window }) else { return 0 }
        return Int((window - now.timeIntervalSince(oldest)).rounded(.up))
    }
}
