import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// `context.http` as the runtime implements it, against a fake service on loopback.
@Suite struct OutboundHTTPTests {
    static func run(_ body: @Sendable (IntegrationHTTPClient, FakeService, CapturedLogs) async throws -> Void) async throws {
        let service = FakeService(name: "example")
        service.route("GET", "/thing") { _ in .json(["ok": true]) }
        service.route("POST", "/thing") { _ in .json(["ok": true], status: 201) }
        try await service.start()
        let lines = CapturedLogs()
        let logger = lines.logger
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(IntegrationHTTPClient(client: client, logger: logger, backoffBase: .milliseconds(20)), service, lines)
        } catch {
            try? await client.shutdown()
            await service.stop()
            throw error
        }
        try await client.shutdown()
        await service.stop()
    }

    @Test func absurdRetryAfterValuesNeverCrashOrStall() async throws {
        try await Self.run { http, service, _ in
            for value in ["inf", "1e20", "garbage", "-3"] {
                service.inject(.tooManyRequests(retryAfter: value))
                let response = try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example"))
                #expect(response.status == 200, "after Retry-After: \(value)")
            }
            // A day-long (or any over-60 s) wait does not fit a 5 s deadline: the caller hears at
            // once that it may retry later, capped at 60 s, instead of hanging.
            service.inject(.tooManyRequests(retryAfter: "86400"))
            let started = ContinuousClock.now
            do {
                _ = try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example", deadline: .seconds(5)))
                Issue.record("expected the rate limit to be reported")
            } catch let error as IntegrationError {
                #expect(error.status == 429)
                #expect(error.retryable)
                #expect(error.retryAfter == .seconds(60))
            }
            #expect(ContinuousClock.now - started < .seconds(30), "the capped 60 s wait was not slept")
        }
    }

    @Test func fiveHundredsAreRetriedOnlyWhenRepeatingIsSafeAndFourHundredsNever() async throws {
        try await Self.run { http, service, _ in
            service.inject(.status(503), count: 2)
            #expect(try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example")).status == 200)
            #expect(service.received("GET", "/thing").count == 3)

            service.inject(.status(503))
            await #expect(throws: IntegrationError.self) {
                try await http.send(OutboundRequest(.post, service.baseURL + "/thing", integration: "Example"))
            }
            #expect(service.received("POST", "/thing").count == 1)  // a POST is not repeated by default
            service.inject(.status(503))
            #expect(try await http.send(OutboundRequest(.post, service.baseURL + "/thing", integration: "Example", retry: .safe)).status == 201)

            service.inject(.status(422, body: ["message": "name is too long"]))
            do {
                _ = try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example"))
                Issue.record("a 422 was not reported")
            } catch let error as IntegrationError {
                #expect(error.status == 422)
                #expect(!error.retryable)
                #expect(error.reason == "HTTP 422: name is too long")
            }
            #expect(service.received("GET", "/thing").count == 4)
        }
    }

    @Test func timeoutsAndResetsAreRetryableTransportFailures() async throws {
        try await Self.run { http, service, _ in
            service.inject(.latency(.seconds(2)))
            do {
                _ = try await http.send(OutboundRequest(.post, service.baseURL + "/thing", integration: "Example", timeout: .milliseconds(300)))
                Issue.record("expected a timeout")
            } catch let error as IntegrationError {
                #expect(error.kind == .timeout)
                #expect(error.retryable)
            }
            service.inject(.connectionReset)
            #expect(try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example")).status == 200)
            service.inject(.malformedBody())
            let response = try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example"))
            #expect(throws: IntegrationError.self) { try response.json(integration: "Example") }
        }
    }

    @Test func everyAttemptIsCountedByOutcomeAndStatusClassWithItsLatency() async throws {
        let service = FakeService(name: "example")
        service.route("GET", "/thing") { _ in .json(["ok": true]) }
        try await service.start()
        let metrics = CountingMetrics()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let http = IntegrationHTTPClient(client: client, logger: Logger(label: "test"), backoffBase: .milliseconds(10), metricsFactory: metrics)
        service.inject(.status(503))
        service.inject(.tooManyRequests(retryAfter: "0"))
        _ = try await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example"))
        service.inject(.status(404))
        _ = try? await http.send(OutboundRequest(.get, service.baseURL + "/thing", integration: "Example"))
        try await client.shutdown()
        await service.stop()
        let requests = "casebook_integration_requests_total"
        #expect(metrics.count(requests, ["integration": "Example", "outcome": "retryable", "status_class": "5xx"]) == 1)
        #expect(metrics.count(requests, ["integration": "Example", "outcome": "retryable", "status_class": "4xx"]) == 1)
        #expect(metrics.count(requests, ["integration": "Example", "outcome": "success", "status_class": "2xx"]) == 1)
        #expect(metrics.count(requests, ["integration": "Example", "outcome": "rejected", "status_class": "4xx"]) == 1)
        #expect(metrics.count("casebook_integration_retries_total", ["integration": "Example"]) == 2)
        #expect(metrics.recordings("casebook_integration_request_duration_seconds", ["integration": "Example"]) == 4)
    }

    @Test func secretsNeverReachLogsOrErrors() async throws {
        try await Self.run { http, service, lines in
            let token = "sk-live-0123456789abcdef"
            service.inject(.status(500, body: ["error": ["message": .string("bad token \(token)")]]), count: 3)
            do {
                _ = try await http.send(OutboundRequest(
                    .get, service.baseURL + "/thing?api_key=\(token)", integration: "Example", headers: ["Authorization": "Bearer \(token)"]))
                Issue.record("expected the failure to be reported")
            } catch let error as IntegrationError {
                #expect(error.retryable)
                #expect(!"\(error)".contains(token))
                #expect(!(error.body ?? "").contains(token))
                #expect((error.body ?? "").contains(Redaction.marker))
            }
            #expect(lines.all.contains("retrying integration call"))
            #expect(!lines.all.contains(token))
        }
    }
}
