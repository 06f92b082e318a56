import AsyncHTTPClient
import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct FakeServiceTests {
    /// A service whose routes echo what they were given.
    static func echo() -> FakeService {
        let service = FakeService(name: "echo")
        service.route("GET", "/items/:id") { request in
            .json(["id": .string(request.pathParameters["id"] ?? "?")])
        }
        service.route("GET", "/files/**") { request in
            .json(["rest": .string(request.pathParameters["**"] ?? "?")])
        }
        service.route("POST", "/things") { request in
            .json(["got": request.json ?? .null], status: 201)
        }
        service.route("GET", "/ok") { _ in .text("fine", status: 200) }
        return service
    }

    @Test func routesCaptureParametersAndTheRest() async throws {
        try await Self.echo().running { service async throws in
            #expect(try await HTTP.get(service.baseURL + "/items/42").json == ["id": "42"])
            #expect(try await HTTP.get(service.baseURL + "/items/a%20b").json == ["id": "a b"])
            #expect(try await HTTP.get(service.baseURL + "/files/a/b/c.txt").json == ["rest": "a/b/c.txt"])
            #expect(try await HTTP.get(service.baseURL + "/files").json == ["rest": ""])
            // Too many segments for `:id`, a wrong method, an unknown path: 404, and still recorded.
            #expect(try await HTTP.get(service.baseURL + "/items/42/more").status == 404)
            #expect(try await HTTP.send(.DELETE, service.baseURL + "/items/42").status == 404)
            #expect(try await HTTP.get(service.baseURL + "/nowhere").status == 404)
            #expect(service.received.count == 7)
            #expect(service.received("GET", "/items/42").map(\.pathParameters) == [["id": "42"]])
            #expect(service.baseURL.hasPrefix("http://127.0.0.1:") && !service.baseURL.hasSuffix("/"))
        }
    }

    @Test func queryKeepsOrderAndRepetition() async throws {
        try await Self.echo().running { service async throws in
            _ = try await HTTP.get(service.baseURL + "/ok?ids%5B%5D=b&name=x+y&ids%5B%5D=a&flag&e=%C3%A9%26")
            let request = try #require(service.received.first)
            #expect(request.path == "/ok")
            #expect(request.query.map(\.name) == ["ids[]", "name", "ids[]", "flag", "e"])
            #expect(request.queryValues("ids[]") == ["b", "a"])
            #expect(request.queryValues("name") == ["x y"])
            #expect(request.queryValues("flag") == [""])
            #expect(request.queryValues("e") == ["é&"])
            #expect(request.queryValues("missing").isEmpty)
        }
    }

    @Test func recordsHeadersBodiesAndACallLog() async throws {
        try await Self.echo().running { service async throws in
            let answer = try await HTTP.send(
                .POST, service.baseURL + "/things", json: ["name": "db"],
                headers: [("X-Trace", "one"), ("x-trace", "two"), ("Authorization", "Token token=abc")])
            #expect(answer.status == 201)
            #expect(answer.json == ["got": ["name": "db"]])
            #expect(answer.header("content-type") == "application/json")
            _ = try await HTTP.send(.POST, service.baseURL + "/things", body: Data("not json".utf8))
            let requests = service.received("POST", "/things")
            #expect(requests.count == 2)
            #expect(requests[0].headers["x-trace"] == "one, two")
            #expect(requests[0].headers["authorization"] == "Token token=abc")
            #expect(requests[0].json == ["name": "db"])
            #expect(requests[1].json == nil)
            #expect(requests[1].body == Data("not json".utf8))
            #expect(requests[0].receivedAt <= requests[1].receivedAt)
            #expect(service.callLog() == ["POST /things", "POST /things"])
            service.summarize = { "\($0.line) · \($0.body.count) bytes" }
            #expect(service.callLog() == ["POST /things · 13 bytes", "POST /things · 8 bytes"])
            service.clearReceived()
            #expect(service.received.isEmpty && service.callLog().isEmpty)
        }
    }

    @Test func tooManyRequestsKeepsRetryAfterVerbatim() async throws {
        try await Self.echo().running { service async throws in
            service.inject(.tooManyRequests(retryAfter: "inf", body: ["error": "slow down"]))
            service.inject(.tooManyRequests(retryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"))
            service.inject(.tooManyRequests(retryAfter: nil))
            let first = try await HTTP.get(service.baseURL + "/ok")
            #expect(first.status == 429)
            #expect(first.header("retry-after") == "inf")
            #expect(first.json == ["error": "slow down"])
            let second = try await HTTP.get(service.baseURL + "/ok")
            #expect(second.header("retry-after") == "Wed, 21 Oct 2026 07:28:00 GMT")
            #expect(second.body.isEmpty)
            let bare = try await HTTP.get(service.baseURL + "/ok")
            #expect(bare.status == 429 && bare.header("retry-after") == nil && bare.body.isEmpty)
            #expect(try await HTTP.get(service.baseURL + "/ok").text == "fine")
            #expect(service.received.count == 4)
        }
    }

    @Test func serverErrorsForNRequestsThenNormal() async throws {
        try await Self.echo().running { service async throws in
            service.inject(.status(503, body: ["error": "unavailable"], headers: [("X-Fault", "yes")]), count: 2, when: { $0.path == "/ok" })
            // Another path is not affected and does not use the fault up.
            #expect(try await HTTP.get(service.baseURL + "/items/1").status == 200)
            let failed = try await HTTP.get(service.baseURL + "/ok")
            #expect(failed.status == 503 && failed.json == ["error": "unavailable"] && failed.header("x-fault") == "yes")
            #expect(try await HTTP.get(service.baseURL + "/ok").status == 503)
            #expect(try await HTTP.get(service.baseURL + "/ok").status == 200)
            service.inject(.status(500), count: 5)
            service.clearFaults()
            #expect(try await HTTP.get(service.baseURL + "/ok").status == 200)
        }
    }

    @Test func latencyDelaysThenTheRouteAnswers() async throws {
        try await Self.echo().running { service async throws in
            service.inject(.latency(.milliseconds(300)))
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await HTTP.get(service.baseURL + "/items/7")
            #expect(clock.now - start >= .milliseconds(300))
            #expect(answer.json == ["id": "7"])
            // A client timeout shorter than the latency fails.
            service.inject(.latency(.milliseconds(500)))
            await #expect(throws: (any Error).self) {
                _ = try await HTTP.send(.GET, service.baseURL + "/ok", timeout: .milliseconds(100))
            }
        }
    }

    @Test func connectionResetFailsTheRequest() async throws {
        try await Self.echo().running { service async throws in
            service.inject(.connectionReset)
            // A reset (RST), not an orderly close: the client reads ECONNRESET.
            let error = await #expect(throws: IOError.self) {
                _ = try await HTTP.get(service.baseURL + "/ok")
            }
            #expect(error?.errnoCode == ECONNRESET)
            #expect(service.received.count == 1)
            #expect(try await HTTP.get(service.baseURL + "/ok").status == 200)
        }
    }

    @Test func malformedAndHTMLBodies() async throws {
        try await Self.echo().running { service async throws in
            service.inject(.malformedBody())
            service.inject(.html(status: 502))
            let malformed = try await HTTP.get(service.baseURL + "/ok")
            #expect(malformed.status == 200)
            #expect(malformed.header("content-type") == "application/json")
            #expect(!malformed.body.isEmpty)
            #expect(malformed.json == nil)
            let html = try await HTTP.get(service.baseURL + "/ok")
            #expect(html.status == 502)
            #expect(html.header("content-type") == "text/html")
            #expect(html.text.hasPrefix("<html>"))
        }
    }

    @Test func bodiesOverTenMebibytesAre413() async throws {
        try await Self.echo().running { service async throws in
            let answer = try await HTTP.send(.POST, service.baseURL + "/things", body: Data(count: (10 << 20) + 1), timeout: .seconds(20))
            #expect(answer.status == 413)
            #expect(service.received("POST", "/things").count == 1)
            #expect(try await HTTP.send(.POST, service.baseURL + "/things", body: Data(count: 1 << 20)).status == 201)
        }
    }

    @Test func stopClosesTheListener() async throws {
        let service = Self.echo()
        try await service.start()
        let url = service.baseURL + "/ok"
        #expect(try await HTTP.get(url).status == 200)
        await service.stop()
        await #expect(throws: (any Error).self) {
            _ = try await HTTP.get(url)
        }
    }
}
