import CasebookKit
import Prometheus

/// The host's Prometheus backend: one factory over the registry `/metrics` serves, with the
/// histogram buckets each duration needs (an ack in milliseconds, a war room in seconds, an MTTR in
/// hours), so `serve` and the test host export the same series.
public enum HostMetrics {
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["slack_ack_latency_seconds"] = SlackTransportMetrics.ackLatencyBuckets
        factory.durationHistogramBuckets.merge(PluginMetrics.histogramBuckets) { _, new in new }
        return factory
    }

    /// Creates the case lifecycle's series at zero, so a dashboard shows 0 and `rate()` has a
    /// starting point before the first case, instead of "no data".
    static func declareLifecycle(_ factory: any MetricsFactory) {
        for transition in CaseTransition.allCases {
            for source in TriggerSource.allCases {
                _ = Counter(label: "casebook_cases_\(transition.rawValue)_total", dimensions: [("source", source.rawValue)], factory: factory)
            }
        }
        for span in CaseSpan.allCases { _ = Timer(label: span.metricName, factory: factory) }
        _ = Timer(label: "casebook_war_room_assembly_seconds", factory: factory)
        _ = Counter(label: "casebook_reminders_sent_total", factory: factory)
    }
}
