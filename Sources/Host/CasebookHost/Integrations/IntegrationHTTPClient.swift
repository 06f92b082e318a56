import AsyncHTTPClient
import CasebookKit
import NIOCore
import NIOHTTP1

/// ``OutboundHTTP`` on AsyncHTTPClient: what every integration plugin's `context.http` is.
///
/// One attempt is bounded by the request's timeout and all attempts by its deadline. 429 is retried
/// after its `Retry-After` (capped at 60 s; unreadable → backoff); a lost connection, a timeout and
/// a 5xx are retried with capped, jittered backoff when the request may be repeated; other 4xx
/// are not retried. Errors carry the status and the service's body with every secret redacted;
/// logs and metrics never see a header, a body or a query. Every attempt carries the current
/// work's correlation id as `X-Request-Id` and a child span of its trace as `traceparent`.
public struct IntegrationHTTPClient: OutboundHTTP {
    let client: HTTPClient
    let logger: Logger
    /// Longest answer read (a status page summary is tens of KB).
    let maxResponseBytes: Int
    /// First backoff; doubles per attempt up to ``maximumBackoff``, with equal jitter.
    let backoffBase: Duration
    let maximumBackoff: Duration
    let metrics: any MetricsFactory

    /// - Parameter metricsFactory: where the metrics go; `nil` uses the bootstrapped `MetricsSystem`.
    public init(
        client: HTTPClient, logger: Logger, maxResponseBytes: Int = 4 << 20, backoffBase: Duration = .milliseconds(250),
        maximumBackoff: Duration = .seconds(10), metricsFactory: (any MetricsFactory)? = nil
    ) {
        self.metrics = metricsFactory ?? MetricsSystem.factory
        self.client = client
        self.logger = logger
        self.maxResponseBytes = maxResponseBytes
        self.backoffBase = backoffBase
        self.maximumBackoff = maximumBackoff
    }

    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        let metrics = IntegrationMetrics(integration: request.integration, factory: self.metrics)
        let deadline = ContinuousClock.now + request.deadline
        var attempt = 0
        while true {
            attempt += 1
            let attemptStarted = ContinuousClock.now
            let outcome = await exchange(request, until: deadline)
            metrics.recordLatency(since: attemptStarted)
            switch outcome {
            case .answered(let response) where (200..<300).contains(response.status):
                metrics.count(outcome: "success", status: response.status)
                return response
            case .answered(let response):
                let error = failure(request, response)
                metrics.count(outcome: error.retryable ? "retryable" : "rejected", status: response.status)
                if try await shouldRetry(request, error, attempt: attempt, deadline: deadline, metrics: metrics) { continue }
                throw error
            case .failed(let error):
                metrics.count(outcome: error.kind == .timeout ? "timeout" : "transport", status: nil)
                if try await shouldRetry(request, error, attempt: attempt, deadline: deadline, metrics: metrics) { continue }
                throw error
            }
        }
    }

    // MARK: Attempts

    private enum Outcome {
        case answered(OutboundResponse)
        case failed(IntegrationError)
    }

    private func exchange(_ request: OutboundRequest, until deadline: ContinuousClock.Instant) async -> Outcome {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero else {
            return .failed(IntegrationError(integration: request.integration, kind: .deadlineExceeded, retryable: true))
        }
        let timeout = min(request.timeout, remaining)
        let trace = (TraceContext.current ?? .start()).child()
        let client = client
        let limit = maxResponseBytes
        let logger = logger
        do {
            return try await withThrowingTaskGroup(of: OutboundResponse?.self) { group in
                group.addTask {
                    var http = HTTPClientRequest(url: request.url)
                    http.method = HTTPMethod(rawValue: request.method.rawValue)
                    for (name, value) in request.headers { http.headers.add(name: name, value: value) }
                    if http.headers["user-agent"].isEmpty { http.headers.add(name: "User-Agent", value: "Casebook") }
                    // The work's correlation id, and a span of its trace for this attempt.
                    if http.headers["x-request-id"].isEmpty { http.headers.add(name: "X-Request-Id", value: trace.correlationID) }
                    if http.headers["traceparent"].isEmpty { http.headers.add(name: "traceparent", value: trace.traceparent) }
                    if let body = request.body { http.body = .bytes(ByteBuffer(bytes: body)) }
                    let response = try await client.execute(http, timeout: .nanoseconds(timeout.nanoseconds), logger: logger)
                    let body = try await response.body.collect(upTo: limit)
                    var headers: [String: String] = [:]
                    for field in response.headers {
                        let name = field.name.lowercased()
                        headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
                    }
                    return OutboundResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
                }
                // AsyncHTTPClient's own deadline reports first; this bounds a request stuck elsewhere.
                group.addTask {
                    try await Task.sleep(for: timeout + .milliseconds(500))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    return .failed(IntegrationError(integration: request.integration, kind: .timeout, retryable: true))
                }
                return .answered(response)
            }
        } catch {
            return .failed(transportFailure(request, error))
        }
    }

    /// Waits and says true when another attempt may help and fits the deadline and attempt budget.
    private func shouldRetry(
        _ request: OutboundRequest, _ error: IntegrationError, attempt: Int, deadline: ContinuousClock.Instant, metrics: IntegrationMetrics
    ) async throws -> Bool {
        guard error.retryable, attempt < request.maxAttempts else { return false }
        // The service said it did not process a rate-limited request; anything else may have been.
        guard error.status == 429 || request.repeatsSafely else { return false }
        let wait = error.retryAfter ?? backoff(attempt: attempt)
        guard ContinuousClock.now + wait < deadline else { return false }
        metrics.countRetry()
        logger.debug("retrying integration call", metadata: [
            "integration": "\(request.integration)", "attempt": "\(attempt)", "wait_ms": "\(wait.nanoseconds / 1_000_000)",
            "reason": "\(error.reason)",
        ])
        try await Task.sleep(for: wait)
        return true
    }

    private func backoff(attempt: Int) -> Duration {
        let base = Double(backoffBase.nanoseconds) / 1e9
        let cap = Double(maximumBackoff.nanoseconds) / 1e9
        let delay = min(base * pow(2, Double(min(attempt - 1, 20))), cap)
        return .milliseconds(Int64((delay / 2 + Double.random(in: 0...(delay / 2))) * 1000))
    }

    // MARK: Errors

    private func failure(_ request: OutboundRequest, _ response: OutboundResponse) -> IntegrationError {
        let status = response.status
        let text = String(decoding: response.body.prefix(2000), as: UTF8.self)
        let body = text.isEmpty ? nil : Redaction.redact(text, secrets: request.redactedValues)
        let retryable = status == 429 || status == 408 || status >= 500
        return IntegrationError(
            integration: request.integration, kind: .status(status), body: body,
            serviceMessage: Self.message(in: response.body).map { Redaction.redact($0, secrets: request.redactedValues) },
            retryable: retryable, retryAfter: status == 429 || status == 503 ? RetryAfter.parse(response.headers["retry-after"]) : nil,
            headers: response.headers)
    }

    private func transportFailure(_ request: OutboundRequest, _ error: any Error) -> IntegrationError {
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout {
            return IntegrationError(integration: request.integration, kind: .timeout, retryable: true)
        }
        // The type's name only: a description could carry the URL and its query (an `api_key=`).
        let what = Redaction.redact(String(describing: error), secrets: request.redactedValues + [request.url])
        return IntegrationError(integration: request.integration, kind: .transport(String(what.prefix(200))), retryable: true)
    }

    /// The service's own words from the common error shapes: `{message}`, `{error:"…"}`,
    /// `{error:{message}}`, `{errors:["…"]}`, `{errors:[{message|detail|title}]}`.
    static func message(in body: Data) -> String? {
        guard let json = try? JSONValue.decode(body) else { return nil }
        var parts: [String] = []
        if let message = json["message"]?.string { parts.append(message) }
        if let error = json["error"]?.string { parts.append(error) }
        if let message = json["error"]?["message"]?.string { parts.append(message) }
        let errors = json["errors"]?.array ?? json["error"]?["errors"]?.array ?? []
        for item in errors.prefix(5) {
            if let text = item.string ?? item["message"]?.string ?? item["detail"]?.string ?? item["title"]?.string { parts.append(text) }
        }
        return parts.isEmpty ? nil : String(parts.joined(separator: " — ").prefix(500))
    }
}

/// Offline mounting (`check-config`, the manifest): no call leaves the process.
public struct OfflineHTTP: OutboundHTTP {
    public init() {}
    public func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        throw IntegrationError(integration: request.integration, kind: .transport("offline"), retryable: false)
    }
}
