import CasebookKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line per event (`LOG_FORMAT=text`, the default):
/// `2026-11-23T18:44:36.123Z info casebook.dispatch: invocation command:help outcome=ok team=T1 user=U1`.
///
/// swift-log's `StreamLogHandler` did the same job at about twice the cost: it formats a local
/// timestamp through `strftime`, pretty-prints metadata through several intermediate strings and
/// flushes a `FILE` stream, and the dispatcher's audit line is written for every invocation. This
/// one builds the line in one byte buffer (UTC timestamp from the clock, metadata sorted by key)
/// and hands it to `write` in one call, so lines from different threads never interleave.
public struct TextLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let write: @Sendable ([UInt8]) -> Void

    /// - Parameter write: receives each finished line, newline included.
    public init(label: String, level: Logger.Level, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    /// Writes lines to standard error, each with one `write(2)` call.
    public static func standardError(label: String, level: Logger.Level) -> TextLogHandler {
        TextLogHandler(label: label, level: level) { line in writeAll(line, to: 2) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(160)
        Self.appendTimestamp(to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: label.utf8)
        line.append(contentsOf: ": ".utf8)
        Self.appendEscaped(TokenScrub.scrub(event.message.description), to: &line)
        var merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        if let trace = TraceContext.current, merged["correlation_id"] == nil { merged["correlation_id"] = "\(trace.correlationID)" }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.append(UInt8(ascii: " "))
            Self.appendEscaped(key, to: &line)
            line.append(UInt8(ascii: "="))
            Self.appendEscaped(TokenScrub.scrub(value.description), to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        write(line)
    }

    /// Text with control characters written as escapes (`\n`, `\r`, `\t`, `\u{1b}`), so a value a
    /// user typed (a `/case severity` argument with a newline) can never forge a second log line.
    static func appendEscaped(_ text: String, to line: inout [UInt8]) {
        let bytes = text.utf8
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            line.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"): line.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): line.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): line.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                line.append(contentsOf: #"\u{"#.utf8)
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0F)])
                line.append(UInt8(ascii: "}"))
            default: line.append(byte)
            }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` from the real-time clock.
    static func appendTimestamp(to line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                line.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4)
        line.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        line.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        line.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        line.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        line.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        line.append(UInt8(ascii: "."))
        digits(Int(now.tv_nsec) / 1_000_000, 3)
        line.append(UInt8(ascii: "Z"))
    }
}

/// Writes every byte, retrying short writes and interrupted calls; gives up on other errors (there
/// is nowhere left to report a failing log).
private func writeAll(_ line: [UInt8], to descriptor: Int32) {
    line.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
