import CasebookKit
import Synchronization

/// A metrics backend that counts counter increments and timer recordings by label and dimensions,
/// for tests that check what a component reports (hand it as the component's metrics factory).
public final class CountingMetrics: MetricsFactory, Sendable {
    private let counters = Mutex<[String: Int64]>([:])
    private let timings = Mutex<[String: Int]>([:])

    public init() {}

    /// The counter's total for exactly these dimensions.
    public func count(_ label: String, _ dimensions: [String: String]) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions.map { ($0.key, $0.value) })] ?? 0 }
    }

    /// How many values the timer recorded for exactly these dimensions.
    public func recordings(_ label: String, _ dimensions: [String: String]) -> Int {
        timings.withLock { $0[Self.key(label, dimensions.map { ($0.key, $0.value) })] ?? 0 }
    }

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + "}"
    }

    final class CounterBox: CounterHandler, Sendable {
        let metrics: CountingMetrics
        let key: String
        init(metrics: CountingMetrics, key: String) {
            self.metrics = metrics
            self.key = key
        }
        func increment(by amount: Int64) {
            metrics.counters.withLock { $0[key, default: 0] += amount }
        }
        func reset() {}
    }

    final class TimerBox: TimerHandler, Sendable {
        let metrics: CountingMetrics
        let key: String
        init(metrics: CountingMetrics, key: String) {
            self.metrics = metrics
            self.key = key
        }
        func recordNanoseconds(_ duration: Int64) {
            metrics.timings.withLock { $0[key, default: 0] += 1 }
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        CounterBox(metrics: self, key: Self.key(label, dimensions))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        TimerBox(metrics: self, key: Self.key(label, dimensions))
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}
