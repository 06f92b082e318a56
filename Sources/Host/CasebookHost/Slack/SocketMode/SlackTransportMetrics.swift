import CasebookKit
import CoreMetrics

/// The delivery metrics both Slack transports record, so dashboards read the same series whether
/// the app runs in Socket Mode or HTTP mode. Every series always carries the same label names
/// (Prometheus refuses to mix label sets under one name).
public struct SlackTransportMetrics: Sendable {
    /// Which transport brought a delivery.
    public enum Transport: String, Sendable {
        case socketMode = "socket_mode"
        case http
    }

    /// Histogram buckets for `slack_ack_latency_seconds`: fine below 10 ms, where a healthy host
    /// acks, and edges at the 2 s ack budget and Slack's 3 s deadline, so a dashboard shows both.
    public static let ackLatencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(5),
    ]

    private let factory: any MetricsFactory
    private let envelopes: MetricHandles<Counter>
    private let duplicates: MetricHandles<Counter>
    private let ackLatency: MetricHandles<CoreMetrics.Timer>

    /// - Parameter factory: where metrics go; the process-wide `MetricsSystem` unless a test
    ///   supplies its own (e.g. a `PrometheusMetricsFactory` over a private registry).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        envelopes = MetricHandles { Counter(label: "slack_envelopes_total", dimensions: [("type", $0[0]), ("transport", $0[1])], factory: factory) }
        duplicates = MetricHandles {
            Counter(label: "slack_duplicate_deliveries_total", dimensions: [("type", $0[0]), ("transport", $0[1])], factory: factory)
        }
        ackLatency = MetricHandles {
            CoreMetrics.Timer(label: "slack_ack_latency_seconds", dimensions: [("type", $0[0]), ("transport", $0[1])], factory: factory)
        }
    }

    /// `slack_envelopes_total{type,transport}`: one per delivery received (duplicates included).
    public func received(type: String, transport: Transport) {
        envelopes(type, transport.rawValue).increment()
    }

    /// `slack_duplicate_deliveries_total{type,transport}`: deliveries acked without dispatching.
    public func duplicate(type: String, transport: Transport) {
        duplicates(type, transport.rawValue).increment()
    }

    /// `slack_ack_latency_seconds{type,transport}`: receipt to ack (or HTTP reply), the number
    /// Slack's 3-second rule is about.
    public func acked(type: String, transport: Transport, receivedAt: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) {
        let elapsed = now - receivedAt
        let (seconds, attoseconds) = elapsed.components
        ackLatency(type, transport.rawValue).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// `slack_socket_reconnects_total{reason}`: why a socket was replaced (`refresh_requested`,
    /// `warning`, `too_many_websockets`, `closed`, `error`, `hello_timeout`, …).
    public func reconnect(reason: String) {
        Counter(label: "slack_socket_reconnects_total", dimensions: [("reason", reason)], factory: factory).increment()
    }
}
