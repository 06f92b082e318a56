import CoreMetrics
import Synchronization

/// A metrics factory that keeps every value of the host's `slack_ack_latency_seconds` timer (receipt
/// of an envelope → its ack written), so the in-process benchmark can report the host's own side
/// of the round trip exactly. Every other metric goes nowhere.
final class AckLatencyTap: MetricsFactory, TimerHandler {
    static let shared = AckLatencyTap()
    private let values = Mutex<[Int64]>([])

    func recordNanoseconds(_ duration: Int64) {
        values.withLock { $0.append(duration) }
    }

    /// The latencies recorded since the last call, emptying the tap.
    func drain() -> Samples {
        Samples(values.withLock { values in
            defer { values.removeAll(keepingCapacity: true) }
            return values.map { Duration.nanoseconds($0) }
        })
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        label == "slack_ack_latency_seconds" ? self : NOOPMetricsHandler.instance
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { NOOPMetricsHandler.instance }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler { NOOPMetricsHandler.instance }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { NOOPMetricsHandler.instance }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { NOOPMetricsHandler.instance }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
