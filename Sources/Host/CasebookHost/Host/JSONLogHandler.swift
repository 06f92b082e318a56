import CasebookKit

/// One JSON object per line (`LOG_FORMAT=json`), for log shippers:
///
/// ```json
/// {"timestamp":"2026-12-06T05:01:02.345Z","level":"info","message":"invocation command:open",
///  "logger":"casebook","correlation_id":"4bf92f3577b34da6a3ce929d0e0e4736","plugin":"cases",
///  "case_id":"…","outcome":"ok","user":"U1"}
/// ```
///
/// `timestamp`, `level`, `message` and `logger` are always there; `correlation_id` whenever the
/// line belongs to an invocation, a webhook or a job (see ``TraceContext``); `plugin` and
/// `case_id` where there is one (`case_id` is the `case` metadata key plugins log). Other
/// metadata follows as strings. Slack token shapes are scrubbed from every value.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let write: @Sendable (String) -> Void

    /// - Parameter write: receives each line, without its newline.
    public init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        if let caseID = merged.removeValue(forKey: "case"), merged["case_id"] == nil { merged["case_id"] = caseID }
        var object: [String: JSONValue] = [:]
        for (key, value) in merged { object[key] = .string(TokenScrub.scrub(value.description)) }
        if let trace = TraceContext.current, object["correlation_id"] == nil { object["correlation_id"] = .string(trace.correlationID) }
        // Set last: metadata cannot overwrite them.
        object["timestamp"] = .string(Self.timestamp())
        object["level"] = .string(event.level.rawValue)
        object["message"] = .string(TokenScrub.scrub(event.message.description))
        object["logger"] = .string(label)
        write(JSONValue.object(object).encoded())
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, as the text format writes it.
    static func timestamp() -> String {
        var bytes: [UInt8] = []
        TextLogHandler.appendTimestamp(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
