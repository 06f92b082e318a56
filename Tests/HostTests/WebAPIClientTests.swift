import AsyncHTTPClient
import CasebookKit
import CasebookTesting
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing

@testable import CasebookHost

/// The Web API client against a fake Slack served by Hummingbird on 127.0.0.1 (port 0).
@Suite struct WebAPIClientTests {
    static let secret = "xoxb-1111-2222-SeCrEtTokenValue"
    static let token = SlackToken(secret)

    // MARK: - Catalogue

    @Test func catalogueKnowsScopesTiersAndEncodings() throws {
        let create = try #require(SlackMethodCatalog.method("conversations.create"))
        #expect(create.botScopes.contains("channels:manage"))
        #expect(create.botScopes.contains("groups:write"))
        #expect(create.tier == .tier2)
        #expect(create.jsonInputSupported)

        let viewsOpen = try #require(SlackMethodCatalog.method("views.open"))
        #expect(viewsOpen.botScopes.isEmpty)

        let post = try #require(SlackMethodCatalog.method("chat.postMessage"))
        #expect(post.botScopes == ["chat:write"])
        #expect(post.tier == .special)
        #expect(post.jsonInputSupported)
        #expect(!post.isRead)

        let members = try #require(SlackMethodCatalog.method("conversations.members"))
        #expect(!members.jsonInputSupported)
        #expect(members.isRead)
        #expect(members.tier == .tier4)

        let open = try #require(SlackMethodCatalog.method("conversations.open"))
        #expect(Set(open.botScopes).isSuperset(of: ["im:write", "mpim:write"]))
        #expect(SlackMethodCatalog.method("chat.getPermalink")?.botScopes == [])
        #expect(SlackMethodCatalog.method("no.such.method") == nil)
    }

    // MARK: - Request shape

    @Test func jsonBodyWithBearerHeaderForJSONMethods() async throws {
        try await withFakeSlack({ _, _ in .ok(#"{"ok":true,"channel":"C1","ts":"1700000000.000100"}"#) }) { slack, http in
            let client = slack.client(http)
            let plugin = PluginSlackClient(client: client, token: Self.token, pluginID: "cases", declaredScopes: ["chat:write"], logger: Logger(label: "test"))
            let ref = try await plugin.postMessage(channel: "C1", Message("hello", blocks: [.section("*hi*")]))
            #expect(ref == MessageRef(channel: "C1", ts: "1700000000.000100"))

            let request = try #require(slack.requests.first)
            #expect(request.path == "/api/chat.postMessage")
            #expect(request.authorization == "Bearer \(Self.secret)")
            #expect(request.contentType == "application/json; charset=utf-8")
            #expect(!request.body.contains("xoxb"))
            let body = try JSONValue.decode(request.body)
            #expect(body["channel"] == "C1")
            #expect(body["text"] == "hello")
            #expect(body["blocks"]?.array?.count == 1)
        }
    }

    @Test func formBodyForMethodsWithoutJSONInput() async throws {
        try await withFakeSlack({ request, _ in
            request.path.hasSuffix("users.info")
                ? .ok(#"{"ok":true,"user":{"id":"U1","team_id":"T1","name":"ada"}}"#)
                : .ok(#"{"ok":true,"members":["U1","U2"],"response_metadata":{"next_cursor":""}}"#)
        }) { slack, http in
            let client = slack.client(http)
            let members = try await client.call(
                "conversations.members", ["channel": "C 1&2", "limit": 200, "include": ["a": 1], "skip": nil], token: Self.token)
            #expect(members["members"]?.array?.count == 2)
            let user = try await client.call("users.info", ["user": "U1"], token: Self.token)
            #expect(user["user"]?["name"] == "ada")

            let requests = slack.requests
            #expect(requests.count == 2)
            #expect(requests[0].contentType == "application/x-www-form-urlencoded")
            #expect(requests[0].body == "channel=C%201%262&include=%7B%22a%22%3A1%7D&limit=200")
            #expect(requests[1].contentType == "application/x-www-form-urlencoded")
            #expect(requests[1].body == "user=U1")
            #expect(requests.allSatisfy { $0.authorization == "Bearer \(Self.secret)" && !$0.body.contains("xoxb") })
        }
    }

    // MARK: - Errors

    @Test func okFalseBecomesTypedErrorWithNeededScope() async throws {
        let answer = #"{"ok":false,"error":"missing_scope","needed":"channels:manage","provided":"chat:write","response_metadata":{"messages":["[ERROR] add a scope"]}}"#
        try await withFakeSlack({ _, _ in .ok(answer) }) { slack, http in
            let client = slack.client(http)
            let error = await #expect(throws: SlackAPIError.self) {
                try await client.call("conversations.create", ["name": "inc-1"], token: Self.token)
            }
            #expect(error == SlackAPIError(method: "conversations.create", code: "missing_scope", needed: "channels:manage", messages: ["[ERROR] add a scope"]))
            #expect(error?.isUnrecoverableAuth == false)
            #expect(slack.requests.count == 1)
        }
    }

    @Test func unrecoverableAuthErrorsAreIdentifiable() {
        for code in ["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "team_disabled", "user_removed_from_team"] {
            #expect(SlackAPIError(method: "auth.test", code: code).isUnrecoverableAuth)
        }
        #expect(!SlackAPIError(method: "auth.test", code: "channel_not_found").isUnrecoverableAuth)
    }

    // MARK: - Rate limits

    @Test func rateLimitedCallWaitsRetryAfterAndSucceeds() async throws {
        let metrics = CountingMetrics()
        try await withFakeSlack({ request, attempt in
            if request.path.hasSuffix("chat.update") {
                return attempt == 0 ? .ok(#"{"ok":false,"error":"rate_limited"}"#, headers: ["Retry-After": "0"]) : .ok(#"{"ok":true}"#)
            }
            return attempt == 0
                ? FakeReply(status: .tooManyRequests, headers: ["Retry-After": "0"], body: #"{"ok":false,"error":"ratelimited"}"#)
                : .ok(#"{"ok":true,"members":[]}"#)
        }) { slack, http in
            let client = slack.client(http, metrics: metrics)
            _ = try await client.call("conversations.members", ["channel": "C1"], token: Self.token)
            _ = try await client.call("chat.update", ["channel": "C1", "ts": "1.2", "text": "x"], token: Self.token)
            #expect(slack.requests.count == 4)
        }
        #expect(metrics.count("slack_rate_limit_waits_total", ["method": "conversations.members"]) == 1)
        #expect(metrics.count("slack_rate_limit_waits_total", ["method": "chat.update"]) == 1)
        #expect(metrics.count("slack_api_calls_total", ["method": "conversations.members", "outcome": "ok"]) == 1)
    }

    @Test func absurdRetryAfterValuesNeitherCrashNorStall() async throws {
        // `inf` and `1e20` crashed the process when converted to milliseconds; `86400` would hold the
        // method for a day. Unreadable values wait the configured default, huge ones at most 60 s.
        for value in ["inf", "1e20", "-1", "soon"] {
            try await withFakeSlack({ _, attempt in
                attempt == 0
                    ? FakeReply(status: .tooManyRequests, headers: ["Retry-After": value], body: #"{"ok":false,"error":"ratelimited"}"#)
                    : .ok(#"{"ok":true,"members":[]}"#)
            }) { slack, http in
                _ = try await slack.client(http).call("conversations.members", ["channel": "C1"], token: Self.token)
                #expect(slack.requests.count == 2, "Retry-After: \(value)")
            }
        }
        #expect(RetryAfter.parse("86400") == .seconds(60))
    }

    @Test func slackAPIURLMustBeHTTPSExceptToThisMachine() throws {
        let token = ["SLACK_BOT_TOKEN": "xoxb-1"]
        #expect(throws: EnvironmentError.self) { try HostEnvironment(token.merging(["SLACK_API_URL": "http://slack.example.com/api/"]) { $1 }) }
        #expect(try HostEnvironment(token.merging(["SLACK_API_URL": "https://slack.example.com/api"]) { $1 }).apiURL == "https://slack.example.com/api/")
        #expect(try HostEnvironment(token.merging(["SLACK_API_URL": "http://127.0.0.1:9/api/"]) { $1 }).apiURL == "http://127.0.0.1:9/api/")
    }

    @Test func rateLimitGivesUpAfterTheBound() async throws {
        let metrics = CountingMetrics()
        try await withFakeSlack({ _, _ in
            FakeReply(status: .tooManyRequests, headers: ["Retry-After": "0"], body: #"{"ok":false,"error":"ratelimited"}"#)
        }) { slack, http in
            let client = slack.client(http, metrics: metrics, maxRateLimitRetries: 2)
            let error = await #expect(throws: SlackAPIError.self) {
                try await client.call("chat.postMessage", ["channel": "C1", "text": "x"], token: Self.token)
            }
            #expect(error?.code == "ratelimited")
            #expect(error?.isRateLimited == true)
            #expect(slack.requests.count == 3)
        }
        #expect(metrics.count("slack_rate_limit_waits_total", ["method": "chat.postMessage"]) == 2)
        #expect(metrics.count("slack_api_calls_total", ["method": "chat.postMessage", "outcome": "ratelimited"]) == 1)
    }

    @Test func missingRetryAfterUsesTheConfiguredDefault() async throws {
        try await withFakeSlack({ _, attempt in
            attempt == 0 ? FakeReply(status: .tooManyRequests, body: #"{"ok":false,"error":"ratelimited"}"#) : .ok(#"{"ok":true}"#)
        }) { slack, http in
            let client = slack.client(http)  // defaultRetryAfter is 10 ms in these tests
            _ = try await client.call("reactions.add", ["channel": "C1", "timestamp": "1.2", "name": "eyes"], token: Self.token)
            #expect(slack.requests.count == 2)
        }
    }

    // MARK: - Server and connection failures

    @Test func serverErrorIsRetriedForARead() async throws {
        try await withFakeSlack({ _, attempt in
            attempt < 2 ? FakeReply(status: .serviceUnavailable, body: "busy") : .ok(#"{"ok":true,"user":{"id":"U1"}}"#)
        }) { slack, http in
            let client = slack.client(http)
            let response = try await client.call("users.info", ["user": "U1"], token: Self.token)
            #expect(response["user"]?["id"] == "U1")
            #expect(slack.requests.count == 3)
        }
    }

    @Test func serverErrorIsNotRetriedForANonIdempotentWrite() async throws {
        try await withFakeSlack({ request, _ in
            request.path.hasSuffix("conversations.create")
                ? .ok(#"{"ok":false,"error":"internal_error"}"#) : FakeReply(status: .internalServerError, body: "oops")
        }) { slack, http in
            let client = slack.client(http)
            let error = await #expect(throws: SlackAPIError.self) {
                try await client.call("chat.postMessage", ["channel": "C1", "text": "once"], token: Self.token)
            }
            #expect(error?.code == "http_500")
            #expect(slack.requests.count == 1)

            // Slack's own server-failure codes in a 200 body follow the same rule.
            let internalError = await #expect(throws: SlackAPIError.self) {
                try await client.call("conversations.create", ["name": "inc-2"], token: Self.token)
            }
            #expect(internalError?.code == "internal_error")
            #expect(slack.requests.count == 2)
        }
    }

    @Test func slackInternalErrorIsRetriedForARead() async throws {
        try await withFakeSlack({ _, attempt in
            attempt == 0 ? .ok(#"{"ok":false,"error":"internal_error"}"#) : .ok(#"{"ok":true,"channel":{"id":"C1","name":"x"}}"#)
        }) { slack, http in
            let channel = try await slack.client(http).call("conversations.info", ["channel": "C1"], token: Self.token)
            #expect(channel["channel"]?["id"] == "C1")
            #expect(slack.requests.count == 2)
        }
    }

    @Test func connectionRefusedIsRetriedEvenForAWriteBecauseNothingWasSent() async throws {
        let logs = CapturedLogs()
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            // Nothing listens on port 1 of the loopback interface: the connection is refused.
            let client = WebAPIClient(
                httpClient: http, configuration: Self.fastConfiguration(baseURL: "http://127.0.0.1:1/api/", maxTransientRetries: 2),
                logger: logs.logger)
            let error = await #expect(throws: SlackAPIError.self) {
                try await client.call("chat.postMessage", ["channel": "C1", "text": "x"], token: Self.token)
            }
            #expect(error?.code == "connection_failed")
            #expect(logs.lines.filter { $0.contains("Retrying Slack call") }.count == 2)
        }
        try await http.shutdown()
    }

    // MARK: - Plugin scopes

    @Test func undeclaredScopeIsRefusedBeforeSending() async throws {
        let logs = CapturedLogs()
        try await withFakeSlack({ _, _ in .ok(#"{"ok":true,"channel":{"id":"C9","name":"inc-1"},"view":{"id":"V1"}}"#) }) { slack, http in
            let plugin = PluginSlackClient(
                client: slack.client(http), token: Self.token, pluginID: "roles", declaredScopes: ["chat:write"], logger: logs.logger)
            let error = await #expect(throws: SlackAPIError.self) {
                _ = try await plugin.createChannel(name: "inc-1")
            }
            #expect(error?.code == "scope_not_declared")
            #expect(error?.needed?.split(separator: ",").contains("channels:manage") == true)
            #expect(slack.requests.isEmpty)
            let refusal = try #require(logs.lines.first { $0.contains("Refused a Slack call") })
            #expect(refusal.hasPrefix("error"))
            #expect(refusal.contains("roles") && refusal.contains("conversations.create") && refusal.contains("channels:manage"))

            // Methods without scopes are allowed; so is any one of a method's scopes.
            _ = try await plugin.openView(triggerID: "123.456", View(title: "Hi", callbackID: "hi") { Block.section("x") })
            let manager = PluginSlackClient(
                client: slack.client(http), token: Self.token, pluginID: "cases", declaredScopes: ["groups:write"], logger: logs.logger)
            _ = try await manager.createChannel(name: "inc-1")
            #expect(slack.requests.map(\.path) == ["/api/views.open", "/api/conversations.create"])
        }
        #expect(PluginSlackClient.refusal(for: "auth.test", declaredScopes: []) == nil)
        #expect(PluginSlackClient.refusal(for: "made.up", declaredScopes: ["chat:write"])?.code == "method_not_catalogued")
    }

    @Test func uploadPostsTheBytesWithoutToken() async throws {
        try await withFakeSlack({ _, _ in .ok("OK - 5") }) { slack, http in
            let plugin = PluginSlackClient(
                client: slack.client(http), token: Self.token, pluginID: "cases", declaredScopes: ["files:write"], logger: Logger(label: "test"))
            try await plugin.upload(url: "http://127.0.0.1:\(slack.port)/upload/F123", data: Data("hello".utf8))
            let request = try #require(slack.requests.first)
            #expect(request.path == "/upload/F123")
            #expect(request.body == "hello")
            #expect(request.authorization == nil)
        }
    }

    // MARK: - Host helpers

    @Test func socketURLAndAuthTest() async throws {
        try await withFakeSlack({ request, _ in
            if request.path.hasSuffix("apps.connections.open") {
                return request.authorization == "Bearer xapp-1-A1-secret" ? .ok(#"{"ok":true,"url":"wss://example.test/link/?ticket=t"}"#) : .ok(#"{"ok":false,"error":"invalid_auth"}"#)
            }
            return request.authorization == "Bearer \(Self.secret)"
                ? .ok(#"{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"B1"}"#) : .ok(#"{"ok":false,"error":"token_revoked"}"#)
        }) { slack, http in
            let client = slack.client(http)
            #expect(try await client.openSocketURL(appToken: SlackToken("xapp-1-A1-secret")) == "wss://example.test/link/?ticket=t")
            let identity = try await client.authTest(token: Self.token)
            #expect(identity.teamID == "T1" && identity.userID == "UBOT" && identity.botID == "B1")
            let error = await #expect(throws: SlackAPIError.self) { try await client.authTest(token: SlackToken("xoxb-old")) }
            #expect(error?.isUnrecoverableAuth == true)
        }
    }

    // MARK: - Secrets

    @Test func tokenNeverAppearsInLogsOrErrors() async throws {
        let logs = CapturedLogs()
        var errors: [String] = []
        try await withFakeSlack({ request, attempt in
            switch request.path {
            case "/api/chat.postMessage": return .ok(#"{"ok":true,"ts":"1.2","warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]}}"#)
            case "/api/users.info": return attempt == 0 ? FakeReply(status: .badGateway, body: "") : .ok(#"{"ok":false,"error":"user_not_found"}"#)
            default: return FakeReply(status: .tooManyRequests, headers: ["Retry-After": "0"], body: #"{"ok":false,"error":"ratelimited"}"#)
            }
        }) { slack, http in
            let client = slack.client(http, logger: logs.logger)
            let plugin = PluginSlackClient(client: client, token: Self.token, pluginID: "cases", declaredScopes: ["chat:write", "users:read", "reactions:read"], logger: logs.logger)
            _ = try await plugin.postMessage(channel: "C1", Message("x"))
            for call in [("users.info", ["user": JSONValue("U1")]), ("reactions.get", ["channel": "C1"]), ("conversations.create", ["name": "x"])] {
                do {
                    _ = try await plugin.call(call.0, call.1)
                } catch {
                    errors.append(String(describing: error))
                    errors.append(String(reflecting: error))
                }
            }
        }
        #expect(errors.count == 6)
        #expect(logs.lines.contains { $0.contains("superfluous_charset") })
        #expect(logs.lines.contains { $0.contains("Retrying Slack call") })
        #expect(logs.lines.contains { $0.contains("rate-limited") })
        for text in logs.lines + errors + [String(describing: Self.token), String(reflecting: Self.token), "\(Self.token)"] {
            #expect(!text.contains("SeCrEt"), "token leaked: \(text)")
        }
        #expect(!logs.lines.isEmpty)
    }

    // MARK: - Pacing

    @Test func pacingLetsABurstThroughAndSpacesSustainedLoad() async {
        let pacer = RatePacer(pacing: .slackDefaults)
        let now = ContinuousClock.now
        var waits: [Duration] = []
        for _ in 0..<6 {
            waits.append(await pacer.reserve(method: "chat.postMessage", tier: .special, channel: "C1", workspace: Self.token, now: now))
        }
        // A burst of five, one fewer than Slack takes, then one a second.
        #expect(waits.prefix(5).allSatisfy { $0 == .zero })
        #expect(waits[5] > .zero)
        // Another channel, or the same one a few seconds later, is not held back.
        #expect(await pacer.reserve(method: "chat.postMessage", tier: .special, channel: "C2", workspace: Self.token, now: now) == .zero)
        #expect(await pacer.reserve(method: "chat.postMessage", tier: .special, channel: "C1", workspace: Self.token, now: now + .seconds(5)) == .zero)

        // Tier 2: twenty at once pass, the twenty-first waits about three seconds.
        for _ in 0..<20 {
            #expect(await pacer.reserve(method: "conversations.create", tier: .tier2, channel: nil, workspace: Self.token, now: now) == .zero)
        }
        let wait = await pacer.reserve(method: "conversations.create", tier: .tier2, channel: nil, workspace: Self.token, now: now)
        #expect(wait > .seconds(2) && wait <= .seconds(3))
        // Buckets are per workspace.
        #expect(await pacer.reserve(method: "conversations.create", tier: .tier2, channel: nil, workspace: SlackToken("xoxb-other"), now: now) == .zero)

        // Retry-After holds every caller of that method in that workspace.
        await pacer.pause(method: "users.info", workspace: Self.token, until: now + .seconds(2))
        #expect(await pacer.reserve(method: "users.info", tier: .tier4, channel: nil, workspace: Self.token, now: now) == .seconds(2))

        let disabled = RatePacer(pacing: .disabled)
        for _ in 0..<50 {
            #expect(await disabled.reserve(method: "chat.postMessage", tier: .special, channel: "C1", workspace: Self.token, now: now) == .zero)
        }
    }

    @Test func configurationReadsSLACKAPIURL() {
        #expect(WebAPIConfiguration.fromEnvironment([:]).baseURL == "https://slack.com/api/")
        #expect(WebAPIConfiguration.fromEnvironment(["SLACK_API_URL": "http://127.0.0.1:9/api"]).baseURL == "http://127.0.0.1:9/api/")
    }

    // MARK: - Fixtures

    static func fastConfiguration(baseURL: String, maxRateLimitRetries: Int = 3, maxTransientRetries: Int = 3) -> WebAPIConfiguration {
        WebAPIConfiguration(
            baseURL: baseURL, requestTimeout: .seconds(10), maxRateLimitRetries: maxRateLimitRetries,
            defaultRetryAfter: .milliseconds(10), maxTransientRetries: maxTransientRetries, backoffBase: .milliseconds(5),
            backoffMax: .milliseconds(20))
    }
}

/// One canned answer of the fake Slack.
struct FakeReply: Sendable {
    var status: HTTPResponse.Status = .ok
    var headers: [String: String] = [:]
    var body: String

    static func ok(_ body: String, headers: [String: String] = [:]) -> FakeReply {
        FakeReply(status: .ok, headers: headers, body: body)
    }
}

/// What the fake Slack received.
struct RecordedRequest: Sendable {
    var path: String
    var authorization: String?
    var contentType: String?
    var body: String
}

/// A running fake Slack: the requests it received, in order.
final class FakeSlack: Sendable {
    let port: Int
    private let recorder: SharedRecorder

    init(port: Int, recorder: SharedRecorder) {
        self.port = port
        self.recorder = recorder
    }

    var requests: [RecordedRequest] { recorder.requests.withLock { $0 } }

    func client(
        _ http: HTTPClient, metrics: CountingMetrics? = nil, logger: Logger = Logger(label: "test"), maxRateLimitRetries: Int = 3
    ) -> WebAPIClient {
        WebAPIClient(
            httpClient: http,
            configuration: WebAPIClientTests.fastConfiguration(baseURL: "http://127.0.0.1:\(port)/api", maxRateLimitRetries: maxRateLimitRetries),
            logger: logger, metricsFactory: metrics)
    }
}

/// Runs `test` against a fake Slack whose answers come from `reply(request, attempt)`, where
/// `attempt` counts earlier requests to the same path.
func withFakeSlack(
    _ reply: @escaping @Sendable (RecordedRequest, Int) -> FakeReply,
    _ test: (FakeSlack, HTTPClient) async throws -> Void
) async throws {
    let shared = SharedRecorder()
    let router = Router()
    let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        let body = try await request.body.collect(upTo: 1 << 20)
        let recorded = RecordedRequest(
            path: request.uri.path, authorization: request.headers[.authorization], contentType: request.headers[.contentType],
            body: String(buffer: body))
        let attempt = shared.record(recorded)
        let answer = reply(recorded, attempt)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: answer.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
    router.post("/api/:method", use: handler)
    router.post("/upload/:id", use: handler)

    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
        logger: Logger(label: "fake-slack"))
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    try await withThrowingTaskGroup(of: Void.self) { group in
        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "fake-slack")))
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        let slack = FakeSlack(port: port, recorder: shared)
        do {
            try await test(slack, http)
        } catch {
            try await http.shutdown()
            await services.triggerGracefulShutdown()
            throw error
        }
        try await http.shutdown()
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
    }
}

/// The fake server's request log, shared between its handler and the test.
final class SharedRecorder: Sendable {
    let requests = Mutex<[RecordedRequest]>([])
    private let attempts = Mutex<[String: Int]>([:])

    /// Records a request and returns how many requests to the same path came before it.
    func record(_ request: RecordedRequest) -> Int {
        requests.withLock { $0.append(request) }
        return attempts.withLock { counts in
            defer { counts[request.path, default: 0] += 1 }
            return counts[request.path, default: 0]
        }
    }
}


