import Synchronization

/// The trace a piece of work belongs to, in W3C Trace Context terms, and its correlation id.
///
/// Every invocation, webhook and job runs inside one (a task-local, so it follows the work through
/// `async` calls without being passed around): the logs write its ``correlationID``, integration
/// requests carry it as `X-Request-Id` and as a `traceparent` naming a new child span, and jobs
/// queued while it is set store it, so the job (and the job it queues) continue the same trace. A
/// webhook that brings a `traceparent` joins the caller's trace, which lets an external tracing
/// setup follow an alert into Casebook and out to PagerDuty.
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits, never all zero.
    public let traceID: String
    /// 16 lowercase hex digits: the span of this unit of work.
    public let spanID: String
    public let sampled: Bool

    /// The id logs and `X-Request-Id` carry: the trace id, so one search finds a webhook, the jobs
    /// it caused and their outbound calls.
    public var correlationID: String { traceID }

    /// The `traceparent` header naming this span.
    public var traceparent: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    /// A new trace (work that nobody outside started).
    public static func start() -> TraceContext {
        TraceContext(traceID: randomHex(16), spanID: randomHex(8), sampled: false)
    }

    /// A new span in the same trace: a job, an outbound request.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.randomHex(8), sampled: sampled)
    }

    /// Joins the trace of a W3C `traceparent` header (version 00 and later, as the spec asks), as a
    /// new child span; nil when the header is missing or malformed (the caller then starts one).
    public static func continuing(traceparent header: String?) -> TraceContext? {
        guard let header else { return nil }
        let parts = header.trimmingCharacters(in: .whitespaces).lowercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", isHex(parts[0]),
              parts[1].count == 32, isHex(parts[1]), parts[1] != Substring(String(repeating: "0", count: 32)),
              parts[2].count == 16, isHex(parts[2]), parts[2] != Substring(String(repeating: "0", count: 16)),
              parts[3].count == 2, isHex(parts[3]), let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        if parts[0] == "00" && parts.count != 4 { return nil }
        return TraceContext(traceID: String(parts[1]), spanID: randomHex(8), sampled: flags & 1 == 1)
    }

    /// Reads a stored `traceparent` back as the same span (for a job queued under it).
    public init?(stored header: String?) {
        guard let joined = Self.continuing(traceparent: header), let header else { return nil }
        let parts = header.lowercased().split(separator: "-")
        self.init(traceID: joined.traceID, spanID: String(parts[2]), sampled: joined.sampled)
    }

    init(traceID: String, spanID: String, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.sampled = sampled
    }

    /// The trace of the work running now.
    @TaskLocal public static var current: TraceContext?

    static func isHex(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Trace and span ids come from one generator seeded once (``Xoshiro256``): they must be unique
    /// and random-looking (W3C), not secret — logs and outbound headers carry them — and
    /// `UInt8.random` asked the kernel once per byte: 24 `getrandom` calls per invocation.
    private static let random = Mutex(Xoshiro256())

    /// `bytes` random bytes as lowercase hex, never all zero.
    static func randomHex(_ bytes: Int) -> String {
        while true {
            var zero = true
            let text = String(unsafeUninitializedCapacity: bytes * 2) { buffer in
                random.withLock { generator in
                    var word: UInt64 = 0
                    for index in 0..<bytes {
                        if index % 8 == 0 { word = generator.next() }
                        let byte = UInt8(truncatingIfNeeded: word)
                        word >>= 8
                        if byte != 0 { zero = false }
                        buffer[2 * index] = Hex.digit(byte >> 4)
                        buffer[2 * index + 1] = Hex.digit(byte & 0x0F)
                    }
                }
                return bytes * 2
            }
            if !zero { return text }
        }
    }
}
