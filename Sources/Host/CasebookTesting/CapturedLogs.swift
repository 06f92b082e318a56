import Logging
import Synchronization

/// Every log line a logger writes, as text, for checks such as "the token never appears in the
/// log" — pass ``logger`` to the code under test, or ``handler()`` as a host's log handler.
public final class CapturedLogs: Sendable {
    private let store = Mutex<[String]>([])

    public init() {}

    public var lines: [String] { store.withLock { $0 } }
    /// All lines joined, for `contains` checks.
    public var all: String { lines.joined(separator: "\n") }

    public var logger: Logger {
        var logger = Logger(label: "captured") { _ in CapturingHandler(logs: self) }
        logger.logLevel = .trace
        return logger
    }

    public func handler() -> any LogHandler { CapturingHandler(logs: self) }

    public func append(_ line: String) {
        store.withLock { $0.append(line) }
    }

    /// Level, message, metadata (sorted) and error of each event on one line.
    struct CapturingHandler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = merged.keys.sorted().map { "\($0)=\(merged[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
            logs.append("\(event.level) \(event.message) \(rendered) \(event.error.map { "\($0)" } ?? "")")
        }
    }
}
