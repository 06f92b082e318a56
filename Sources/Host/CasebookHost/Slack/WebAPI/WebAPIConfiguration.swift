import CasebookKit
import Foundation

/// How the Web API client talks to Slack. Every default is Slack's documented behaviour; tests
/// shrink the waits.
public struct WebAPIConfiguration: Sendable {
    /// Method URLs are `baseURL + method`. The host sets it from `SLACK_API_URL` (the simulator in tests).
    public var baseURL: String
    /// Deadline of one HTTP exchange (AsyncHTTPClient's deadline; reading the whole body is bounded
    /// by it plus a second of grace).
    public var requestTimeout: Duration
    /// How many times a rate-limited call is retried after waiting `Retry-After`.
    public var maxRateLimitRetries: Int
    /// The wait when a 429 carries no `Retry-After` (Slack's SDKs use 30 s).
    public var defaultRetryAfter: Duration
    /// How many times a server error or a connection failure is retried, where that is safe.
    public var maxTransientRetries: Int
    /// First backoff step after a server error or connection failure; doubles per attempt, jittered.
    public var backoffBase: Duration
    /// Upper bound of one backoff step.
    public var backoffMax: Duration
    /// Client-side pacing so sustained load stays under Slack's limits; `.disabled` turns it off.
    public var pacing: WebAPIPacing
    /// Largest response body read (Slack answers are small; this guards memory).
    public var maxResponseBytes: Int
    /// What carries the exchanges instead of the host's `HTTPClient` (the test host's in-process mode); nil uses the network.
    public var transport: (any SlackHTTPTransport)?

    public init(
        baseURL: String = WebAPIConfiguration.slackBaseURL,
        requestTimeout: Duration = .seconds(30),
        maxRateLimitRetries: Int = 3,
        defaultRetryAfter: Duration = .seconds(30),
        maxTransientRetries: Int = 3,
        backoffBase: Duration = .milliseconds(500),
        backoffMax: Duration = .seconds(10),
        pacing: WebAPIPacing = .slackDefaults,
        maxResponseBytes: Int = 16 * 1024 * 1024
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.requestTimeout = requestTimeout
        self.maxRateLimitRetries = maxRateLimitRetries
        self.defaultRetryAfter = defaultRetryAfter
        self.maxTransientRetries = maxTransientRetries
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.pacing = pacing
        self.maxResponseBytes = maxResponseBytes
    }

    public static let slackBaseURL = "https://slack.com/api/"

    /// The defaults with `baseURL` taken from `SLACK_API_URL` when it is set and not empty.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> WebAPIConfiguration {
        let url = environment["SLACK_API_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? slackBaseURL
        return WebAPIConfiguration(baseURL: url)
    }
}

/// A token bucket: `perMinute` sustained, up to `burst` calls at once after a quiet spell.
public struct RateBudget: Sendable, Equatable {
    public var perMinute: Double
    public var burst: Double

    public init(perMinute: Double, burst: Double) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
    }
}

/// Client-side pacing (reference/slack.md §5.1): a bucket per method and workspace by tier, plus
/// one per channel for `chat.postMessage`. Buckets start full, so a burst of a few calls is never
/// delayed; only sustained overload waits.
public struct WebAPIPacing: Sendable, Equatable {
    /// Budget per tier; a tier without an entry is not paced.
    public var tiers: [SlackRateTier: RateBudget]
    /// `chat.postMessage` per channel (about 1 per second with short bursts); `nil` disables it.
    public var messagesPerChannel: RateBudget?

    public init(tiers: [SlackRateTier: RateBudget], messagesPerChannel: RateBudget?) {
        self.tiers = tiers
        self.messagesPerChannel = messagesPerChannel
    }

    /// Slack's published tiers; `special` methods (high limits) are not paced per method. Messages
    /// go one a second per channel after a burst of five. Slack documents "short bursts" without a
    /// number (the simulator allows six): pacing at exactly the server's limit is refused now and
    /// then, because requests arrive with jitter.
    public static let slackDefaults = WebAPIPacing(
        tiers: [
            .tier1: RateBudget(perMinute: 1, burst: 3),
            .tier2: RateBudget(perMinute: 20, burst: 20),
            .tier3: RateBudget(perMinute: 50, burst: 50),
            .tier4: RateBudget(perMinute: 100, burst: 100),
        ],
        messagesPerChannel: RateBudget(perMinute: 60, burst: 5))

    /// No client-side pacing (Slack's own 429 answers are still honoured).
    public static let disabled = WebAPIPacing(tiers: [:], messagesPerChannel: nil)
}
