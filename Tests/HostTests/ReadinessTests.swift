import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookTesting
import NIOCore
import NIOHTTP1
import Testing

/// `/readyz` means ready (#17 point 8), in both modes: 503 while the database does not answer and
/// from the first moment of a graceful shutdown, while the server still answers (drain).
@Suite struct ReadinessTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: UInt, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (response.status.code, String(buffer: body))
    }

    @Test("/readyz is 503 while the database is unreachable", arguments: [HostEnvironment.Transport.socketMode, .http])
    func databaseUnreachable(_ transport: HostEnvironment.Transport) async throws {
        try await TestHost.withRunning(plugins: [ProbePlugin.self], config: EndToEndTests.config, transport: transport) { host in
            let port = try #require(host.httpPort)
            #expect(try await Self.get(port, "/readyz") == (200, "ready"))
            // The database goes away under the running host (here: its connection is closed).
            try await host.app.database.close()
            let answer = try await Self.get(port, "/readyz")
            #expect(answer.status == 503)
            #expect(answer.body.hasPrefix("database: unreachable"), "\(answer.body)")
            #expect(try await Self.get(port, "/healthz") == (200, "ok"))
        }
    }

    @Test("on SIGTERM /readyz flips to 503 first, then the host drains", arguments: [HostEnvironment.Transport.socketMode, .http])
    func shutdownFlipsFirst(_ transport: HostEnvironment.Transport) async throws {
        let config = EndToEndTests.config.replacingOccurrences(of: "host:\n", with: "host:\n  http: { drain: 2s }\n")
        try await TestHost.withRunning(plugins: [ProbePlugin.self], config: config, transport: transport) { host in
            let port = try #require(host.httpPort)
            #expect(try await Self.get(port, "/readyz") == (200, "ready"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                // A graceful stop (as SIGTERM) and a new host on the same database.
                group.addTask { try await host.restart() }
                try await host.waitUntil("the old host says it is shutting down") {
                    (try? await Self.get(port, "/readyz")) ?? (0, "") == (503, "shutting down")
                }
                // Still draining: the old host's server keeps answering.
                #expect(try await Self.get(port, "/healthz") == (200, "ok"))
                try await group.waitForAll()
            }
            let fresh = try #require(host.httpPort)
            #expect(try await Self.get(fresh, "/readyz") == (200, "ready"))
        }
    }
}
