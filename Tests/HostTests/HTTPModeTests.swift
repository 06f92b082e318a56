import CasebookKit
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Prometheus
import Testing

@testable import CasebookHost

/// Records what the HTTP transport dispatched, answering slash commands with a message.
private actor RecordingInboundHandler: InboundResponding {
    private(set) var received: [Inbound] = []
    let reply: @Sendable (Inbound) -> JSONValue?

    init(reply: @escaping @Sendable (Inbound) -> JSONValue? = { _ in nil }) {
        self.reply = reply
    }

    func respond(to inbound: Inbound) async -> JSONValue? {
        received.append(inbound)
        return reply(inbound)
    }
}

private struct FixedClock: WallClock {
    var date: Date
    func now() -> Date { date }
    func sleep(until deadline: Date) async throws {}
}

private struct RecordingWebhooks: WebhookRouting {
    let seen = TransportTestBox<[(String, WebhookRequest)]>([])
    func route(plugin: String, _ request: WebhookRequest) async -> WebhookResponse? {
        seen.append((plugin, request))
        guard plugin == "pager" else { return nil }
        return .json(["ok": true, "path": .string(request.path)], status: 202)
    }
}

/// A tiny lock-protected box for test recorders.
final class TransportTestBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    var current: Value { lock.withLock { value } }
    func mutate<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

extension TransportTestBox {
    func append<Element>(_ element: Element) where Value == [Element] { mutate { $0.append(element) } }
}

@Suite("HTTP mode and the host's HTTP surface")
struct HTTPModeTests {
    static let secret = "8f742231b10e8888abcd99yyyzzz85a5"
    static let now = Date(timeIntervalSince1970: 1_531_420_618)

    // MARK: SlackSignature

    @Test("Slack's published signing example verifies (known-answer vector)")
    func knownAnswerVector() throws {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
        let expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        let signature = SlackSignature(signingSecret: Self.secret)
        #expect(signature.sign(body: Array(body.utf8), timestamp: "1531420618") == expected)
        try signature.verify(body: Array(body.utf8), timestamp: "1531420618", signature: expected, now: Self.now)
        #expect(throws: SlackSignature.Failure.mismatch) {
            try signature.verify(body: Array((body + "x").utf8), timestamp: "1531420618", signature: expected, now: Self.now)
        }
    }

    @Test("Timestamps outside five minutes either way, and malformed headers, are rejected")
    func signatureWindow() throws {
        let signature = SlackSignature(signingSecret: Self.secret)
        let body = Array("a=b".utf8)
        let ts = "1531420618"
        let valid = signature.sign(body: body, timestamp: ts)
        try signature.verify(body: body, timestamp: ts, signature: valid, now: Self.now.addingTimeInterval(300))
        try signature.verify(body: body, timestamp: ts, signature: valid, now: Self.now.addingTimeInterval(-300))
        #expect(throws: SlackSignature.Failure.staleTimestamp) {
            try signature.verify(body: body, timestamp: ts, signature: valid, now: Self.now.addingTimeInterval(301))
        }
        #expect(throws: SlackSignature.Failure.staleTimestamp) {
            try signature.verify(body: body, timestamp: ts, signature: valid, now: Self.now.addingTimeInterval(-301))
        }
        #expect(throws: SlackSignature.Failure.missingHeaders) {
            try signature.verify(body: body, timestamp: nil, signature: valid, now: Self.now)
        }
        #expect(throws: SlackSignature.Failure.malformedTimestamp) {
            try signature.verify(body: body, timestamp: "soon", signature: valid, now: Self.now)
        }
        #expect(throws: SlackSignature.Failure.malformedSignature) {
            try signature.verify(body: body, timestamp: ts, signature: "v1=abcd", now: Self.now)
        }
    }

    // MARK: /slack/events

    private func makeApp(
        handler: RecordingInboundHandler,
        clock: Date = HTTPModeTests.now,
        readiness: @escaping @Sendable () async -> Readiness = { .ready },
        registry: PrometheusCollectorRegistry? = nil,
        webhooks: (any WebhookRouting)? = nil
    ) -> some ApplicationProtocol {
        let metrics = SlackTransportMetrics(factory: PrometheusMetricsFactory(registry: registry ?? PrometheusCollectorRegistry()))
        let endpoint = SlackRequestEndpoint(
            signingSecret: Self.secret, handler: handler, dedupe: InMemoryDeliveryDedupe(), metrics: metrics,
            clock: FixedClock(date: clock)
        )
        let router = makeRouter(slack: endpoint, readiness: readiness, metricsRegistry: registry, webhooks: webhooks, recordRequestMetrics: false)
        return Application(router: router)
    }

    private func signedHeaders(_ body: String, contentType: String, timestamp: String = "1531420618", extra: HTTPFields = [:]) -> HTTPFields {
        var headers: HTTPFields = [.contentType: contentType]
        headers[HTTPField.Name("X-Slack-Request-Timestamp")!] = timestamp
        headers[HTTPField.Name("X-Slack-Signature")!] = SlackSignature(signingSecret: Self.secret).sign(body: Array(body.utf8), timestamp: timestamp)
        headers.append(contentsOf: extra)
        return headers
    }

    @Test("url_verification is answered with the challenge and not dispatched")
    func urlVerification() async throws {
        let handler = RecordingInboundHandler()
        let body = #"{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        try await makeApp(handler: handler).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/json"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
            }
        }
        #expect(await handler.received.isEmpty)
    }

    @Test("A signed slash command is dispatched as form fields and its JSON reply returned")
    func slashCommand() async throws {
        let handler = RecordingInboundHandler { inbound in
            inbound.kind == .slashCommand ? ["response_type": "ephemeral", "text": "Declared"] : nil
        }
        let body = "command=%2Fincident&text=declare+db+down&user_id=U1&team_id=T1&trigger_id=13345224609.738474920.8088930838d88f008e0&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"
        try await makeApp(handler: handler).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let decoded = try JSONValue.decode(String(buffer: response.body))
                #expect(decoded == ["response_type": "ephemeral", "text": "Declared"])
            }
        }
        let received = await handler.received
        try #require(received.count == 1)
        #expect(received[0].kind == .slashCommand)
        #expect(received[0].payload["command"] == "/incident")
        #expect(received[0].payload["text"] == "declare db down")
        #expect(received[0].payload["response_url"] == "https://hooks.slack.com/commands/1234/5678")
    }

    @Test("A bad signature or a stale timestamp gets 401 and nothing is dispatched")
    func rejectsUnsigned() async throws {
        let handler = RecordingInboundHandler { _ in ["text": "should not happen"] }
        let body = "command=%2Fincident&text=x"
        try await makeApp(handler: handler).test(.router) { client in
            var tampered = signedHeaders(body, contentType: "application/x-www-form-urlencoded")
            tampered[HTTPField.Name("X-Slack-Signature")!] = "v0=" + String(repeating: "0", count: 64)
            try await client.execute(uri: "/slack/events", method: .post, headers: tampered, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unauthorized)
            }
            // Correctly signed, but 10 minutes old.
            let stale = signedHeaders(body, contentType: "application/x-www-form-urlencoded", timestamp: "1531420018")
            try await client.execute(uri: "/slack/events", method: .post, headers: stale, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unauthorized)
            }
            // Signed for a different body.
            let other = signedHeaders("command=%2Fother", contentType: "application/x-www-form-urlencoded")
            try await client.execute(uri: "/slack/events", method: .post, headers: other, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/slack/events", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { response in
                #expect(response.status == .unauthorized)
            }
        }
        #expect(await handler.received.isEmpty)
    }

    @Test("An interactivity payload= form is parsed into its JSON")
    func interactivity() async throws {
        let handler = RecordingInboundHandler { _ in ["response_action": "clear"] }
        let payload = #"{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},"view":{"callback_id":"declare","state":{"values":{}}}}"#
        let encoded = try #require(payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let body = "payload=" + encoded
        try await makeApp(handler: handler).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                let decoded = try JSONValue.decode(String(buffer: response.body))
                #expect(decoded == ["response_action": "clear"])
            }
        }
        let received = await handler.received
        try #require(received.count == 1)
        #expect(received[0].kind == .interactive)
        #expect(received[0].payload["type"] == "view_submission")
        #expect(received[0].payload["view"]?["callback_id"] == "declare")
    }

    @Test("An Events API retry (X-Slack-Retry-Num) of an event already handled is answered 200 and not dispatched again")
    func eventRetryDeduped() async throws {
        let handler = RecordingInboundHandler()
        let body = #"{"type":"event_callback","team_id":"T1","event_id":"Ev0PV52K21","event_time":1531420618,"event":{"type":"member_joined_channel","user":"U1","channel":"C1"}}"#
        try await makeApp(handler: handler).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/json"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
            var retryHeaders = signedHeaders(body, contentType: "application/json")
            retryHeaders[HTTPField.Name("X-Slack-Retry-Num")!] = "1"
            retryHeaders[HTTPField.Name("X-Slack-Retry-Reason")!] = "http_timeout"
            try await client.execute(uri: "/slack/events", method: .post, headers: retryHeaders, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
            }
        }
        let received = await handler.received
        #expect(received.count == 1)
        #expect(received.first?.kind == .eventsAPI)
        #expect(received.first?.deliveryID == "Ev0PV52K21")
    }

    @Test("ssl_check is answered 200 without dispatching")
    func sslCheck() async throws {
        let handler = RecordingInboundHandler()
        let body = "ssl_check=1&token=x"
        try await makeApp(handler: handler).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(await handler.received.isEmpty)
    }

    @Test("Without a signing secret there is no Slack route")
    func slackRouteOnlyWithSecret() async throws {
        let app = Application(router: makeRouter(recordRequestMetrics: false))
        try await app.test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    // MARK: health, readiness, metrics

    @Test("/healthz is always ok; /readyz follows the probe")
    func healthAndReadiness() async throws {
        let ready = TransportTestBox(false)
        let app = makeApp(handler: RecordingInboundHandler(), readiness: {
            ready.current ? .ready : .notReady("slack: not connected")
        })
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "slack: not connected")
            }
            ready.mutate { $0 = true }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("/metrics exposes the delivery counters in Prometheus text")
    func metrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let handler = RecordingInboundHandler()
        let body = "command=%2Fincident&text=x"
        try await makeApp(handler: handler, registry: registry).test(.router) { client in
            try await client.execute(uri: "/slack/events", method: .post, headers: signedHeaders(body, contentType: "application/x-www-form-urlencoded"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"slack_envelopes_total{type="slash_commands",transport="http"} 1"#))
                #expect(text.contains("slack_ack_latency_seconds_bucket"))
            }
        }
    }

    // MARK: webhooks

    @Test("/hooks/<plugin>/… reaches the plugin with method, sub-path, headers, query and raw body; unknown plugin is 404")
    func webhooks() async throws {
        let webhooks = RecordingWebhooks()
        let app = makeApp(handler: RecordingInboundHandler(), webhooks: webhooks)
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/hooks/pager/alerts/v2?source=pd&x=1", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("X-PagerDuty-Signature")!: "v1=abc"],
                body: ByteBuffer(string: #"{"event":"trigger"}"#)
            ) { response in
                #expect(response.status == .accepted)
                let decoded = try JSONValue.decode(String(buffer: response.body))
                #expect(decoded == ["ok": true, "path": "alerts/v2"])
            }
            try await client.execute(uri: "/hooks/pager", method: .get) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/hooks/nobody/x", method: .delete) { response in
                #expect(response.status == .notFound)
            }
        }
        let seen = webhooks.seen.current
        try #require(seen.count == 3)
        #expect(seen[0].0 == "pager")
        #expect(seen[0].1.method == .post)
        #expect(seen[0].1.path == "alerts/v2")
        #expect(seen[0].1.query == ["source": "pd", "x": "1"])
        #expect(seen[0].1.headers["x-pagerduty-signature"] == "v1=abc")
        #expect(seen[0].1.body == Data(#"{"event":"trigger"}"#.utf8))
        #expect(seen[1].1.path == "")
        #expect(seen[2].0 == "nobody")
        #expect(seen[2].1.method == .delete)
    }
}
