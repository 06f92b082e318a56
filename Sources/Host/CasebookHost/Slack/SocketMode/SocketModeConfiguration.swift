import CasebookKit
import NIOSSL

/// Tuning for the Socket Mode client. Defaults follow Slack's own SDKs (see slack.md §1.6, §1.7).
public struct SocketModeConfiguration: Sendable {
    /// Sockets kept open at once (clamped to 1…10, Slack's per-app limit). Two give a seamless
    /// handover while Slack recycles one.
    public var connections: Int
    /// Delay before reconnecting after an error or unexpected close (capped exponential, jittered).
    public var reconnectBackoff: ReconnectBackoff
    /// Pause after `too_many_websockets` before this slot opens another socket.
    public var tooManyWebsocketsDelay: Duration
    /// Pause after `apps.connections.open` answers `ratelimited` (Tier 1 method).
    public var rateLimitedDelay: Duration
    /// A socket that has not said `hello` by then is closed and replaced.
    public var helloTimeout: Duration
    /// WebSocket ping period; a ping unanswered by the next period closes the socket, which then
    /// reconnects. This is the liveness watchdog: control frames never reach application code, and
    /// a watchdog on data frames would recycle every quiet socket.
    public var pingInterval: Duration
    /// How long a closing socket waits for in-flight envelopes to be acked before closing anyway.
    public var drainTimeout: Duration
    /// How long to wait for Slack's close reply before dropping the connection (Node uses 1 s).
    public var closeTimeout: Duration
    /// Largest message accepted, in bytes.
    public var maxMessageSize: Int
    /// Appends `debug_reconnects=true` to each URL so Slack recycles sockets after ~360 s (for
    /// exercising reconnects against real Slack; never in production).
    public var debugReconnects: Bool
    /// Certificates trusted for `wss://` besides the system's roots: only tests set them, to reach
    /// a TLS server with a certificate they made.
    var additionalTrustRoots: [NIOSSLCertificate] = []

    public init(
        connections: Int = 2,
        reconnectBackoff: ReconnectBackoff = ReconnectBackoff(),
        tooManyWebsocketsDelay: Duration = .seconds(30),
        rateLimitedDelay: Duration = .seconds(30),
        helloTimeout: Duration = .seconds(10),
        pingInterval: Duration = .seconds(10),
        drainTimeout: Duration = .seconds(5),
        closeTimeout: Duration = .seconds(1),
        maxMessageSize: Int = 4 << 20,
        debugReconnects: Bool = false
    ) {
        self.connections = min(10, max(1, connections))
        self.reconnectBackoff = reconnectBackoff
        self.tooManyWebsocketsDelay = tooManyWebsocketsDelay
        self.rateLimitedDelay = rateLimitedDelay
        self.helloTimeout = helloTimeout
        self.pingInterval = pingInterval
        self.drainTimeout = drainTimeout
        self.closeTimeout = closeTimeout
        self.maxMessageSize = maxMessageSize
        self.debugReconnects = debugReconnects
    }
}

/// Capped exponential backoff with jitter, so many replicas losing Slack at once don't reconnect
/// in lockstep (and don't burn the Tier 1 budget of `apps.connections.open`).
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        self.initial = initial
        self.maximum = max(initial, maximum)
    }

    /// The delay before attempt `failures` (1 after the first failure): `initial · 2^(failures-1)`,
    /// capped at `maximum`, then jittered into [½·d, d].
    public func delay(afterFailures failures: Int, jitter: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let base = min(initial.timeInterval * pow(2, Double(exponent)), maximum.timeInterval)
        let jittered = base * (0.5 + 0.5 * min(max(jitter, 0), 1))
        return .nanoseconds(Int64(jittered * 1e9))
    }
}
