import AsyncHTTPClient
import CasebookKit
import Foundation
import NIOCore
import NIOHTTP1

/// The host's Slack Web API transport: one per process, sharing the host's `HTTPClient`.
///
/// It sends the token only in the `Authorization` header, picks JSON or form bodies from the
/// method catalogue, paces calls per method and workspace, waits out `Retry-After`, retries
/// server and connection failures where ``RetryRule`` says that is safe, and turns every failure
/// into a ``SlackAPIError``. Tokens never reach logs or error texts.
public struct WebAPIClient: ResponseURLPosting, Sendable {
    public let configuration: WebAPIConfiguration
    private let httpClient: HTTPClient
    private let logger: Logger
    private let metrics: any MetricsFactory
    private let pacer: RatePacer

    /// - Parameters:
    ///   - httpClient: the host's shared client; its lifetime (and shutdown) belongs to the host.
    ///   - metricsFactory: where the metrics go; `nil` uses the bootstrapped `MetricsSystem`.
    public init(
        httpClient: HTTPClient, configuration: WebAPIConfiguration = WebAPIConfiguration(), logger: Logger,
        metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        self.metrics = metricsFactory ?? MetricsSystem.factory
        self.pacer = RatePacer(pacing: configuration.pacing)
    }

    /// Calls a Web API method with `token` and returns the `ok: true` response object.
    /// Throws ``SlackAPIError`` with Slack's error code, or `ratelimited`, `http_<status>`,
    /// `connection_failed`, `timeout`, `invalid_response` once retries are spent.
    public func call(_ method: String, _ arguments: [String: JSONValue], token: SlackToken) async throws -> JSONValue {
        let info = SlackMethodCatalog.method(method)
        let body = WebAPIRequestBody(arguments: arguments, json: info?.jsonInputSupported ?? false)
        var request = HTTPClientRequest(url: configuration.baseURL + method)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token.secret)
        request.headers.add(name: "Content-Type", value: body.contentType)
        request.body = .bytes(ByteBuffer(bytes: body.bytes))

        var logger = self.logger
        logger[metadataKey: "slack.method"] = "\(method)"
        let started = ContinuousClock.now
        defer {
            Timer(label: "slack_api_call_duration_seconds", dimensions: [("method", method)], factory: metrics)
                .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        }
        do {
            let response = try await perform(
                method: method, request: request, tier: info?.tier, channel: arguments["channel"]?.string,
                token: token, safeToRepeat: RetryRule.isSafeToRepeat(method), logger: logger)
            let json = try parse(response, method: method)
            logWarnings(json, logger: logger)
            count(method, outcome: "ok")
            return json
        } catch let error as SlackAPIError {
            count(method, outcome: outcome(of: error))
            logger.debug("Slack call failed", metadata: ["slack.error": "\(error.code)"])
            throw error
        }
    }

    /// Opens a Socket Mode connection: `apps.connections.open` with the app-level (`xapp-`) token.
    public func openSocketURL(appToken: SlackToken) async throws -> String {
        let response = try await call("apps.connections.open", [:], token: appToken)
        guard let url = response["url"]?.string, !url.isEmpty else {
            throw SlackAPIError(method: "apps.connections.open", code: "invalid_response")
        }
        return url
    }

    /// Who the bot token belongs to: the installation's team, the bot's user and bot ids.
    public func authTest(token: SlackToken) async throws -> (teamID: String, userID: String, botID: String) {
        let response = try await call("auth.test", [:], token: token)
        guard let team = response["team_id"]?.string, let user = response["user_id"]?.string else {
            throw SlackAPIError(method: "auth.test", code: "invalid_response")
        }
        return (team, user, response["bot_id"]?.string ?? "")
    }

    /// The byte step of the external upload flow: POSTs `data` to the URL that
    /// `files.getUploadURLExternal` handed out (pre-signed; no token is sent).
    public func upload(url: String, data: Data) async throws {
        try await upload(url: url, body: .bytes(ByteBuffer(bytes: data)))
    }

    /// Streams a file from disk in chunks; a retry reopens it, so memory stays flat for any size.
    public func upload(url: String, file: URL, length: Int) async throws {
        try await upload(url: url, body: .stream(FileChunks(file: file), length: .known(Int64(length))))
    }

    private func upload(url: String, body: HTTPClientRequest.Body) async throws {
        try await postWithoutToken("files.upload", to: url, contentType: "application/octet-stream", body: body)
    }

    /// Posts `body` to a `response_url`. No token: the URL itself is the credential. Retried like
    /// an upload (Slack shows the same ephemeral answer again at worst).
    public func post(_ url: String, body: JSONValue) async throws {
        try await postWithoutToken(
            "response_url", to: url, contentType: "application/json; charset=utf-8", body: .bytes(ByteBuffer(string: body.encoded())))
    }

    /// A POST to a URL Slack handed out (an upload URL, a `response_url`): no token, no tier, retried
    /// after a server or connection failure; anything but 2xx is `http_<status>` under `method`.
    private func postWithoutToken(_ method: String, to url: String, contentType: String, body: HTTPClientRequest.Body) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = body
        var logger = self.logger
        logger[metadataKey: "slack.method"] = "\(method)"
        let exchange = try await perform(
            method: method, request: request, tier: nil, channel: nil, token: nil, safeToRepeat: true, logger: logger)
        guard (200..<300).contains(exchange.status) else {
            throw SlackAPIError(method: method, code: "http_\(exchange.status)")
        }
    }

    /// Records a call the host refused before sending (see ``PluginSlackClient``).
    func countRefusal(_ method: String) {
        count(method, outcome: "refused")
    }

    // MARK: - Attempts

    private struct Exchange: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// What one attempt came to.
    private enum Attempt {
        case done(Exchange)
        case rateLimited(retryAfter: Duration)
        /// Slack may have performed the call (5xx, server error codes).
        case serverFailed(SlackAPIError)
        case transportFailed(RetryRule.TransportFailure)
    }

    /// Sends the request until it gets an answer worth returning, within the retry bounds.
    private func perform(
        method: String, request: HTTPClientRequest, tier: SlackRateTier?, channel: String?, token: SlackToken?,
        safeToRepeat: Bool, logger: Logger
    ) async throws -> Exchange {
        var rateLimitRetries = 0
        var transientRetries = 0
        while true {
            if let token {
                let wait = await pacer.reserve(method: method, tier: tier, channel: channel, workspace: token, now: .now)
                if wait > .zero {
                    logger.debug("Pacing Slack call", metadata: ["slack.wait_ms": "\(wait.milliseconds)"])
                    try await Task.sleep(for: wait)
                }
            }
            switch try await attempt(request, method: method) {
            case .done(let exchange):
                return exchange
            case .rateLimited(let retryAfter):
                guard rateLimitRetries < configuration.maxRateLimitRetries else {
                    logger.warning("Slack kept rate-limiting the call; giving up", metadata: ["slack.retries": "\(rateLimitRetries)"])
                    throw SlackAPIError(method: method, code: "ratelimited")
                }
                rateLimitRetries += 1
                Counter(label: "slack_rate_limit_waits_total", dimensions: [("method", method)], factory: metrics).increment()
                logger.notice("Slack rate-limited the call; waiting", metadata: ["slack.retry_after_ms": "\(retryAfter.milliseconds)"])
                if let token {
                    await pacer.pause(method: method, workspace: token, until: .now + retryAfter)
                } else {
                    try await Task.sleep(for: retryAfter)
                }
            case .serverFailed(let error):
                guard safeToRepeat, transientRetries < configuration.maxTransientRetries else { throw error }
                try await backOff(&transientRetries, reason: error.code, logger: logger)
            case .transportFailed(let failure):
                guard failure.notSent || safeToRepeat, transientRetries < configuration.maxTransientRetries else {
                    logger.warning("Slack call failed in transport", metadata: ["slack.error": "\(failure.code)", "slack.sent": "\(!failure.notSent)"])
                    throw SlackAPIError(method: method, code: failure.code)
                }
                try await backOff(&transientRetries, reason: failure.code, logger: logger)
            }
        }
    }

    private func backOff(_ retries: inout Int, reason: String, logger: Logger) async throws {
        let wait = RetryRule.backoff(attempt: retries, base: configuration.backoffBase, cap: configuration.backoffMax)
        retries += 1
        logger.warning(
            "Retrying Slack call", metadata: ["slack.error": "\(reason)", "slack.retry": "\(retries)", "slack.wait_ms": "\(wait.milliseconds)"])
        try await Task.sleep(for: wait)
    }

    private func attempt(_ request: HTTPClientRequest, method: String) async throws -> Attempt {
        let exchange: Exchange
        do {
            exchange = try await send(request)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let failure = RetryRule.classify(error)
            logger.debug("Slack transport error", metadata: ["slack.method": "\(method)", "error": "\(String(describing: type(of: error)))"])
            return .transportFailed(failure)
        }
        if exchange.status == 429 {
            return .rateLimited(retryAfter: retryAfter(exchange.headers))
        }
        if exchange.status >= 500 {
            return .serverFailed(SlackAPIError(method: method, code: "http_\(exchange.status)"))
        }
        // Slack answers errors with HTTP 200 and `ok: false`; peek for the retryable ones.
        if let json = try? JSONValue.decode(Data(exchange.body.readableBytesView)), json["ok"]?.bool == false,
            let code = json["error"]?.string
        {
            if code == "ratelimited" || code == "rate_limited" {
                return .rateLimited(retryAfter: retryAfter(exchange.headers))
            }
            if RetryRule.serverErrorCodes.contains(code) {
                return .serverFailed(Self.error(from: json, method: method, code: code))
            }
        }
        return .done(exchange)
    }

    /// One HTTP exchange, response body included, within the per-request timeout.
    private func send(_ request: HTTPClientRequest) async throws -> Exchange {
        let timeout = configuration.requestTimeout
        let limit = configuration.maxResponseBytes
        if let transport = configuration.transport {
            let exchange = try await transport.send(request, timeout: timeout)
            return Exchange(status: exchange.status, headers: exchange.headers, body: exchange.body)
        }
        let client = httpClient
        let logger = logger
        return try await withThrowingTaskGroup(of: Exchange?.self) { group in
            group.addTask {
                let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds), logger: logger)
                let body = try await response.body.collect(upTo: limit)
                return Exchange(status: Int(response.status.code), headers: response.headers, body: body)
            }
            // A second of grace lets AsyncHTTPClient's own deadline report first while the request
            // is still queued for a connection: its error says the request never left (retryable).
            group.addTask {
                try await Task.sleep(for: timeout + .seconds(1))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let exchange = first else { throw RequestTimedOut() }
            return exchange
        }
    }

    /// `Retry-After` read defensively (``RetryAfter``): `inf`, `1e20` or a date a day away wait at
    /// most 60 s; garbage falls back to the configured default.
    private func retryAfter(_ headers: HTTPHeaders) -> Duration {
        RetryAfter.parse(headers.first(name: "Retry-After")) ?? configuration.defaultRetryAfter
    }

    // MARK: - Responses

    private func parse(_ exchange: Exchange, method: String) throws -> JSONValue {
        guard let json = try? JSONValue.decode(Data(exchange.body.readableBytesView)), let ok = json["ok"]?.bool else {
            throw SlackAPIError(method: method, code: exchange.status == 200 ? "invalid_response" : "http_\(exchange.status)")
        }
        guard ok else {
            throw Self.error(from: json, method: method, code: json["error"]?.string ?? "unknown_error")
        }
        return json
    }

    private static func error(from json: JSONValue, method: String, code: String) -> SlackAPIError {
        SlackAPIError(
            method: method, code: code, needed: json["needed"]?.string,
            messages: json["response_metadata"]?["messages"]?.array?.compactMap(\.string) ?? [])
    }

    private func logWarnings(_ json: JSONValue, logger: Logger) {
        var warnings = json["warning"]?.string?.split(separator: ",").map { String($0) } ?? []
        for warning in json["response_metadata"]?["warnings"]?.array?.compactMap(\.string) ?? [] where !warnings.contains(warning) {
            warnings.append(warning)
        }
        guard !warnings.isEmpty else { return }
        var metadata: Logger.Metadata = ["slack.warnings": "\(warnings.joined(separator: ","))"]
        if let messages = json["response_metadata"]?["messages"]?.array?.compactMap(\.string), !messages.isEmpty {
            metadata["slack.messages"] = "\(messages.joined(separator: "; "))"
        }
        logger.warning("Slack answered with warnings", metadata: metadata)
    }

    // MARK: - Metrics

    private func count(_ method: String, outcome: String) {
        Counter(label: "slack_api_calls_total", dimensions: [("method", method), ("outcome", outcome)], factory: metrics).increment()
    }

    private func outcome(of error: SlackAPIError) -> String {
        switch error.code {
        case "ratelimited", "rate_limited": return "ratelimited"
        case "connection_failed": return "connection_failed"
        case "timeout": return "timeout"
        case let code where code.hasPrefix("http_5") || RetryRule.serverErrorCodes.contains(code): return "server_error"
        default: return "slack_error"
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
