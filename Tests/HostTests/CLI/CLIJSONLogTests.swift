import CasebookKit
import Foundation
import Glibc
import SlackSimulator
import Testing

/// `LOG_FORMAT=json` from the real `casebook serve` process (#19 point 5): standard error is one
/// JSON object per line, from start-up to shutdown, with the invocation's correlation id on the
/// dispatcher's line and the plugin's, and never a token.
@Suite("casebook serve: LOG_FORMAT=json")
struct CLIJSONLogTests {
    @Test func serveWritesOneJSONObjectPerLineWithCorrelationPluginAndCase() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await SlackSimulator.withRunning { simulator in
                var server = CLIServeTests.Server(directory: directory, simulator: simulator, port: try freeLoopbackPort())
                server.extraEnvironment = ["LOG_FORMAT": "json", "LOG_LEVEL": "info"]
                let serve = try await server.start()
                defer { serve.stop() }
                #expect(try await server.slash("open Payments are failing").acked)
                serve.send(SIGTERM)
                let outcome = try await serve.wait(timeout: .seconds(25))
                #expect(outcome.status == 0, "\(outcome)")

                let lines = outcome.stderrLines
                #expect(lines.count > 5, "\(outcome.stderr)")
                let objects = lines.compactMap { line -> [String: JSONValue]? in
                    let object = (try? JSONValue.decode(Data(line.utf8)))?.object
                    #expect(object != nil, "not a JSON object: \(line)")
                    return object
                }
                #expect(objects.count == lines.count)
                for object in objects {
                    #expect(object["timestamp"]?.string?.hasSuffix("Z") == true && object["level"] != nil && object["message"] != nil)
                }
                let invocation = try #require(objects.first { $0["message"]?.string == "invocation command:open" })
                let correlation = try #require(invocation["correlation_id"]?.string)
                let opened = try #require(objects.first { $0["message"]?.string == "case opened" })
                #expect(opened["correlation_id"]?.string == correlation)
                #expect(opened["plugin"]?.string == "cases")
                #expect(opened["case_id"]?.string?.isEmpty == false)
                #expect(objects.contains { $0["message"]?.string == "Casebook stopped" })
                #expect(!outcome.stderr.contains(simulator.botToken) && !outcome.stderr.contains(simulator.appToken))
            }
        }
    }
}
