import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The host's own `slack_ack_latency_seconds` histogram for slash commands over Socket Mode, read
/// from `casebook serve`'s `/metrics`: cumulative counts per bucket edge (`le`, in seconds).
struct AckLatencyHistogram: Sendable {
    var buckets: [Double: Int] = [:]

    static let series = #"slack_ack_latency_seconds_bucket{type="slash_commands",transport="socket_mode",le=""#

    static func scrape(client: HTTPClient, port: Int) async throws -> AckLatencyHistogram {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics")
        request.method = .GET
        let response = try await client.execute(request, timeout: .seconds(5))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
        var histogram = AckLatencyHistogram()
        for line in body.split(separator: "\n") where line.hasPrefix(series) {
            let rest = line.dropFirst(series.count)
            guard let quote = rest.firstIndex(of: "\""), let space = rest.lastIndex(of: " "), let count = Int(rest[rest.index(after: space)...]) else { continue }
            let edge = rest[..<quote] == "+Inf" ? Double.infinity : Double(rest[..<quote])
            if let edge { histogram.buckets[edge] = count }
        }
        return histogram
    }

    /// What was recorded between `earlier` and this reading.
    func since(_ earlier: AckLatencyHistogram) -> AckLatencyHistogram {
        AckLatencyHistogram(buckets: buckets.merging(earlier.buckets.mapValues { -$0 }, uniquingKeysWith: +))
    }

    var total: Int { buckets[.infinity] ?? 0 }

    /// The share of acks at or below `edge` seconds (an edge of the histogram).
    func share(atMost edge: Double) -> Double {
        total > 0 ? Double(buckets[edge] ?? 0) / Double(total) : 0
    }

    /// The smallest bucket edge that holds quantile `q`: the quantile is at most this.
    func upperBound(of q: Double) -> Double? {
        buckets.keys.sorted().first { Double(buckets[$0] ?? 0) >= q * Double(total) }
    }
}
