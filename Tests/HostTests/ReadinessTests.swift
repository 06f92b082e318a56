import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookTesting
import NIOCore
import NIOHTTP1
import Prometheus
import ServiceLifecycle
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

    @Test("from the start of serve /healthz is 200 and /readyz 503 until boot hands the port to the host's server")
    func probesAnsweredWhileBooting() async throws {
        let logger = {
            var logger = Logger(label: "startup-probes-test")
            logger.logLevel = .warning
            return logger
        }()
        let phase = StartupPhase()
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let (reached, reachedContinuation) = AsyncStream.makeStream(of: Int.self)
        let port = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try await StartupProbes.whileBooting(HTTPServerConfiguration(host: "127.0.0.1", port: 0), phase: phase, logger: logger) { port in
                    // A migration that runs until the test lets it finish.
                    phase.enter("running migrations")
                    reachedContinuation.yield(port ?? 0)
                    for await _ in release {}
                    return port ?? 0
                }
            }
            var iterator = reached.makeAsyncIterator()
            let port = try #require(await iterator.next())
            #expect(try await Self.get(port, "/healthz") == (200, "ok"))
            #expect(try await Self.get(port, "/readyz") == (503, "starting: running migrations"))
            // Nothing else is mounted before boot completes.
            #expect(try await Self.get(port, "/metrics").status == 404)
            releaseContinuation.finish()
            return try #require(try await group.next())
        }
        // Handed over: the host's full router binds the same port and serves as usual.
        let registry = PrometheusCollectorRegistry()
        let server = HTTPServerService(
            router: makeRouter(readiness: { .ready }, metricsRegistry: registry, recordRequestMetrics: false),
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), logger: logger)
        let serverGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await serverGroup.run() }
            try await eventuallyAnswers(port)
            #expect(try await Self.get(port, "/readyz") == (200, "ready"))
            #expect(try await Self.get(port, "/metrics").status == 200)
            await serverGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    /// Waits until the server on `port` accepts connections (it binds in its own task).
    func eventuallyAnswers(_ port: Int) async throws {
        for _ in 0..<200 {
            if (try? await Self.get(port, "/healthz")) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("nothing answers on port \(port)")
    }
}
