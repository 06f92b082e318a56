import CasebookHost
import CasebookKit
import CasebookTesting
import Foundation
import Synchronization
import Testing

/// Issue 19 point 5: `LOG_FORMAT=json` lines, correlation ids through invocations, webhooks, jobs
/// and integration calls, and W3C `traceparent` from an alert webhook out to PagerDuty.
@Suite struct LogsAndTracesTests {
    final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
        func handler(level: Logger.Level = .info) -> JSONLogHandler {
            JSONLogHandler(label: "casebook", level: level) { line in self.captured.withLock { $0.append(line) } }
        }
        /// Every line as a JSON object; records an issue for a line that is not one.
        func objects() -> [[String: JSONValue]] {
            all.compactMap { line in
                #expect(!line.contains("\n"), "one object per line: \(line)")
                let object = (try? JSONValue.decode(Data(line.utf8)))?.object
                #expect(object != nil, "not a JSON object: \(line)")
                return object
            }
        }
    }

    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentSpan = "00f067aa0ba902b7"

    @Test func jsonLinesCarryCorrelationPluginAndCaseAndAnAlertsTraceReachesPagerDuty() async throws {
        let lines = Lines()
        try await ObservabilityHarness.run(logHandler: { _ in lines.handler() }, logLevel: .info) { host, pagerduty in
            _ = try await ObservabilityHarness.open(host, "Checkout errors")
            let answer = try await ObservabilityHarness.postAlert(
                host, ObservabilityHarness.oncall("alert group created", state: "firing", id: "ITRACE1", severity: "critical"),
                traceparent: "00-\(Self.traceID)-\(Self.parentSpan)-01")
            #expect(answer.status == 202)
            #expect(answer.headers["x-request-id"] == Self.traceID, "the webhook's answer names its correlation id")
            try await host.settleJobs()

            let objects = lines.objects()
            #expect(objects.count > 5)
            for object in objects {
                #expect(object["timestamp"]?.string?.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
                #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(object["level"]?.string ?? ""))
                #expect(object["message"]?.string?.isEmpty == false)
            }
            // The command: the dispatcher's line and the plugin's share one correlation id.
            let invocation = try #require(objects.first { $0["message"]?.string == "invocation command:open" })
            let commandID = try #require(invocation["correlation_id"]?.string)
            #expect(commandID.wholeMatch(of: /[0-9a-f]{32}/) != nil)
            let commandCase = try #require(objects.first { $0["message"]?.string == "case opened" && $0["correlation_id"]?.string == commandID })
            #expect(commandCase["plugin"]?.string == "cases")
            #expect(commandCase["case_id"]?.string?.isEmpty == false)
            #expect(commandCase["source"]?.string == "command")

            // The alert: its case is opened by a job, which continues the caller's trace.
            let alertCase = try #require(objects.first { $0["message"]?.string == "case opened" && $0["source"]?.string == "alert" })
            #expect(alertCase["correlation_id"]?.string == Self.traceID)
            #expect(alertCase["case_id"]?.string != commandCase["case_id"]?.string)
            // …and so does PagerDuty's trigger, two jobs later (escalation event → alert sync).
            let traced = pagerduty.events.received("POST", "/v2/enqueue").filter { $0.headers["x-request-id"] == Self.traceID }
            #expect(!traced.isEmpty, "requests: \(pagerduty.events.received.map(\.headers))")
            for request in traced {
                let parts = (request.headers["traceparent"] ?? "").split(separator: "-").map(String.init)
                #expect(parts.count == 4 && parts[0] == "00" && parts[1] == Self.traceID && parts[3] == "01")
                #expect(parts.count == 4 && parts[2] != Self.parentSpan && parts[2].count == 16, "a span of its own")
            }
            // The command's own PagerDuty calls carry the command's id instead.
            #expect(pagerduty.events.received.allSatisfy { $0.headers["x-request-id"]?.count == 32 })

            let everything = lines.all.joined(separator: "\n")
            #expect(!everything.contains(host.simulator.botToken) && !everything.contains(host.simulator.appToken), "never a token")
            #expect(!everything.contains(FakePagerDuty.seededRoutingKey))
        }
    }

    @Test func aTokenInAMessageOrMetadataIsScrubbedAndTheTextFormatNamesTheCorrelationID() throws {
        let lines = Lines()
        let logger = Logger(label: "casebook") { _ in lines.handler() }
        let trace = try #require(TraceContext.continuing(traceparent: "00-\(Self.traceID)-\(Self.parentSpan)-00"))
        TraceContext.$current.withValue(trace) {
            logger.error("auth.test failed for xoxb-12345-67890-abcdef", metadata: ["url": "wss://x/?ticket=xapp-1-A0-99", "case": "c-1"])
        }
        let line = try #require(lines.all.first)
        let object = try #require(try JSONValue.decode(Data(line.utf8)).object)
        #expect(object["message"]?.string == "auth.test failed for [redacted]")
        #expect(object["url"]?.string == "wss://x/?ticket=[redacted]")
        #expect(object["correlation_id"]?.string == Self.traceID)
        #expect(object["case_id"]?.string == "c-1")
        #expect(object["level"]?.string == "error")

        let text = Mutex<[String]>([])
        let textLogger = Logger(label: "casebook") { _ in
            TextLogHandler(label: "casebook", level: .info) { bytes in text.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        TraceContext.$current.withValue(trace) { textLogger.info("job ran", metadata: ["token": "xoxp-1-2-3"]) }
        let textLine = try #require(text.withLock { $0.first })
        #expect(textLine.contains("correlation_id=\(Self.traceID)"))
        #expect(textLine.contains("token=[redacted]") && !textLine.contains("xoxp-1-2-3"))
    }

    @Test func traceparentHeadersAreParsedAsTheW3CSpecAsks() throws {
        let joined = try #require(TraceContext.continuing(traceparent: "00-\(Self.traceID)-\(Self.parentSpan)-01"))
        #expect(joined.traceID == Self.traceID && joined.sampled && joined.spanID != Self.parentSpan)
        #expect(joined.traceparent.hasPrefix("00-\(Self.traceID)-") && joined.traceparent.hasSuffix("-01"))
        // A later version may carry more fields; version 00 may not, nor ff, nor all-zero ids.
        #expect(TraceContext.continuing(traceparent: "01-\(Self.traceID)-\(Self.parentSpan)-00-extra")?.traceID == Self.traceID)
        for bad in [
            "00-\(Self.traceID)-\(Self.parentSpan)-01-extra", "ff-\(Self.traceID)-\(Self.parentSpan)-01",
            "00-00000000000000000000000000000000-\(Self.parentSpan)-01", "00-\(Self.traceID)-0000000000000000-01",
            "00-\(Self.traceID.prefix(31))-\(Self.parentSpan)-01", "00-\(Self.traceID)-\(Self.parentSpan)-zz", "garbage", "",
        ] {
            #expect(TraceContext.continuing(traceparent: bad) == nil, "\(bad)")
        }
        let stored = try #require(TraceContext(stored: joined.traceparent))
        #expect(stored == joined, "a job's stored trace reads back as the same span")
        let fresh = TraceContext.start()
        #expect(fresh.correlationID.count == 32 && fresh.child().traceID == fresh.traceID && fresh.child().spanID != fresh.spanID)
    }

    @Test func newTraceAndSpanIDsAreWellFormedAndUniqueAcrossConcurrentTasks() async {
        let traces = await withTaskGroup(of: [TraceContext].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<2_000).map { _ in TraceContext.start() } }
            }
            var all: [TraceContext] = []
            for await part in group { all += part }
            return all
        }
        let children = traces.prefix(1_000).map { $0.child() }
        func isHex(_ id: String, length: Int) -> Bool {
            id.utf8.count == length && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
                && id.utf8.contains { $0 != UInt8(ascii: "0") }
        }
        #expect(traces.allSatisfy { isHex($0.traceID, length: 32) && isHex($0.spanID, length: 16) })
        #expect(children.allSatisfy { isHex($0.spanID, length: 16) })
        #expect(Set(traces.map(\.traceID)).count == traces.count)
        #expect(Set(traces.map(\.spanID) + children.map(\.spanID)).count == traces.count + children.count)
        // Every hex digit turns up in every position of the trace id: not a counter, not a constant.
        for position in [0, 15, 31] {
            let digits = Set(traces.map { Array($0.traceID.utf8)[position] })
            #expect(digits.count == 16, "position \(position): \(digits.count) digits")
        }
    }

    @Test func onlyTextWithATokenShapeIsRewrittenByTheScrub() throws {
        let text = Mutex<[String]>([])
        let logger = Logger(label: "casebook") { _ in
            TextLogHandler(label: "casebook", level: .info) { bytes in text.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        }
        let values = ["x", "xo", "xox", "xoxo", "xap", "xapp", "xapp-", "taxapp-1", "é xoxb-1-2 é", "xoxb", "boxes of xylophones"]
        for (index, value) in values.enumerated() { logger.info("v", metadata: ["v\(index)": "\(value)"]) }
        let lines = text.withLock { $0 }
        let written = lines.map { line in String(line.split(separator: "=", maxSplits: 1)[1].split(separator: " correlation_id")[0]).trimmingCharacters(in: .newlines) }
        #expect(written == ["x", "xo", "xox", "xoxo", "xap", "xapp", "[redacted]", "ta[redacted]", "é [redacted] é", "xoxb", "boxes of xylophones"])
    }
}
