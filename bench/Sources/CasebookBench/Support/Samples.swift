import CasebookKit
import Foundation

/// Durations measured by one benchmark, summarised by nearest-rank percentiles.
struct Samples: Sendable {
    private(set) var values: [Duration] = []

    init(_ values: [Duration] = []) { self.values = values }

    mutating func append(_ value: Duration) { values.append(value) }
    mutating func append(contentsOf other: Samples) { values.append(contentsOf: other.values) }

    var count: Int { values.count }

    /// The nearest-rank percentile (`p` in 0…100); zero when empty.
    func percentile(_ p: Double) -> Duration {
        guard !values.isEmpty else { return .zero }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    var p50: Duration { percentile(50) }
    var p99: Duration { percentile(99) }
    var maximum: Duration { values.max() ?? .zero }
    var minimum: Duration { values.min() ?? .zero }

    var mean: Duration {
        guard !values.isEmpty else { return .zero }
        return values.reduce(Duration.zero, +) / values.count
    }
}

extension Duration {
    var milliseconds: Double { timeInterval * 1000 }
    var seconds: Double { timeInterval }
}
