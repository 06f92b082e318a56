import CasebookHost
import CasebookKit
import Foundation
import Synchronization
import Testing

@Suite("Text log lines")
struct TextLogHandlerTests {
    private final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        func append(_ bytes: [UInt8]) { captured.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
    }

    @Test("A line has a UTC timestamp, level, label, message and sorted metadata, and ends the line")
    func format() throws {
        let lines = Lines()
        var handler = TextLogHandler(label: "casebook.dispatch", level: .info) { lines.append($0) }
        handler[metadataKey: "team"] = "T1"
        let logger = Logger(label: "casebook.dispatch") { _ in handler }
        logger.info("invocation command:help", metadata: ["user": "U1", "outcome": "ok", "team": "T2"])
        logger.debug("below the level")
        let written = lines.captured.withLock { $0 }
        try #require(written.count == 1)
        let line = written[0]
        #expect(line.hasSuffix(" info casebook.dispatch: invocation command:help outcome=ok team=T2 user=U1\n"))
        let timestamp = String(line.prefix(24))
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        #expect(timestamp.hasPrefix("\(year)-") || timestamp.hasPrefix("\(year - 1)-"))
    }

    @Test("Control characters in a message or metadata are escaped, so typed text cannot forge a line")
    func controlCharactersAreEscaped() throws {
        let lines = Lines()
        let handler = TextLogHandler(label: "casebook.dispatch", level: .info) { lines.append($0) }
        let logger = Logger(label: "casebook.dispatch") { _ in handler }
        let forged = "sev1\n2026-12-02T00:00:00.000Z info casebook.dispatch: invocation outcome=ok user=U0ADMIN"
        logger.info("invocation command:severity\r", metadata: ["arguments": "\(forged)", "bell": "\u{07}\t"])
        let written = try #require(lines.captured.withLock { $0 }.first)
        #expect(written.filter { $0 == "\n" }.count == 1)
        #expect(written.hasSuffix("\n"))
        #expect(written.contains(#"arguments=sev1\n2026-12-02T00:00:00.000Z info"#))
        #expect(written.contains(#"command:severity\r"#))
        #expect(written.contains(#"bell=\u{07}\t"#))
    }
}
