import CasebookKit

/// Per-integration metrics: `casebook_integration_requests_total{integration,outcome,status_class}`,
/// `casebook_integration_request_duration_seconds{integration}` and
/// `casebook_integration_retries_total{integration}`. Labels are bounded: integration names are
/// the plugins' own constants, and statuses are folded into classes (`2xx`, `4xx`, `none`).
struct IntegrationMetrics {
    let integration: String
    let factory: any MetricsFactory

    func count(outcome: String, status: Int?) {
        let statusClass = status.map { "\($0 / 100)xx" } ?? "none"
        Counter(label: "casebook_integration_requests_total", dimensions: [
            ("integration", integration), ("outcome", outcome), ("status_class", statusClass),
        ], factory: factory).increment()
    }

    func countRetry() {
        Counter(label: "casebook_integration_retries_total", dimensions: [("integration", integration)], factory: factory).increment()
    }

    func recordLatency(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        Timer(label: "casebook_integration_request_duration_seconds", dimensions: [("integration", integration)], factory: factory)
            .recordNanoseconds(elapsed.nanoseconds)
    }
}
