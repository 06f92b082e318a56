/// Spaces out Web API calls so sustained load stays under Slack's limits, and holds back every
/// caller of a method while Slack has told us to wait (`Retry-After`). It only computes waits; the
/// caller sleeps, so the actor is never blocked.
actor RatePacer {
    typealias Instant = ContinuousClock.Instant

    /// A bucket of one workspace (identified by its token): a method, or a channel for messages.
    struct Key: Hashable {
        var workspace: SlackToken
        var bucket: String
    }

    private struct Bucket {
        var tokens: Double
        var updated: Instant
    }

    let pacing: WebAPIPacing
    private var buckets: [Key: Bucket] = [:]
    private var pausedUntil: [Key: Instant] = [:]

    init(pacing: WebAPIPacing) {
        self.pacing = pacing
    }

    /// Takes a slot in every bucket the call counts against and returns how long the caller must
    /// wait before sending. Slots are taken in arrival order, so waiting callers stay fair.
    func reserve(method: String, tier: SlackRateTier?, channel: String?, workspace: SlackToken, now: Instant) -> Duration {
        var wait = Duration.zero
        let methodKey = Key(workspace: workspace, bucket: "method:" + method)
        if let until = pausedUntil[methodKey] {
            if until > now { wait = until - now } else { pausedUntil[methodKey] = nil }
        }
        if let tier, let budget = pacing.tiers[tier] {
            wait = max(wait, take(methodKey, budget: budget, now: now))
        }
        if method == "chat.postMessage", let channel, let budget = pacing.messagesPerChannel {
            wait = max(wait, take(Key(workspace: workspace, bucket: "channel:" + channel), budget: budget, now: now))
        }
        if buckets.count > 10_000 { prune(now: now) }
        return wait
    }

    /// Slack answered "rate limited": nobody calls this method for this workspace until `until`.
    func pause(method: String, workspace: SlackToken, until: Instant) {
        let key = Key(workspace: workspace, bucket: "method:" + method)
        pausedUntil[key] = max(pausedUntil[key] ?? until, until)
    }

    private func take(_ key: Key, budget: RateBudget, now: Instant) -> Duration {
        let perSecond = budget.perMinute / 60
        var bucket = buckets[key] ?? Bucket(tokens: budget.burst, updated: now)
        bucket.tokens = min(budget.burst, bucket.tokens + (now - bucket.updated).seconds * perSecond)
        bucket.updated = max(bucket.updated, now)
        bucket.tokens -= 1
        buckets[key] = bucket
        guard bucket.tokens < 0, perSecond > 0 else { return .zero }
        return .milliseconds(Int64((-bucket.tokens / perSecond * 1000).rounded(.up)))
    }

    /// Forgets buckets that have refilled (a full bucket behaves like a missing one), so per-channel
    /// buckets do not accumulate for ever.
    private func prune(now: Instant) {
        let longest = pacing.tiers.values.map { $0.burst / max($0.perMinute / 60, .leastNonzeroMagnitude) }.max() ?? 0
        let channel = pacing.messagesPerChannel.map { $0.burst / max($0.perMinute / 60, .leastNonzeroMagnitude) } ?? 0
        let idle = Duration.seconds(max(longest, channel))
        buckets = buckets.filter { now - $0.value.updated < idle }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
