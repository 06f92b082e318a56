/// HTTP to third-party services (PagerDuty, Statuspage, …), as a plugin sees it.
///
/// The runtime implements it on AsyncHTTPClient with per-request timeouts, an overall deadline,
/// capped and jittered retries, `Retry-After`, per-integration metrics and redaction of secrets; a
/// plugin only builds ``OutboundRequest``s against the base URL from its configuration, so every
/// call can be pointed at a fake service in tests and in the playground.
public protocol OutboundHTTP: Sendable {
    /// Sends `request`, retrying as its ``OutboundRequest/retry`` allows. Returns a 2xx response;
    /// anything else ends as an ``IntegrationError``.
    func send(_ request: OutboundRequest) async throws -> OutboundResponse
}

/// One call to a third-party service.
public struct OutboundRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE" }

    /// When repeating the request after a lost connection or a 5xx is safe. A 429 is always retried:
    /// the service says it did not process the request.
    public enum Retry: Sendable, Equatable {
        /// GET, PUT and DELETE are retried; POST and PATCH are not.
        case whenIdempotent
        /// Always: the request carries its own idempotency (a dedup key, a client-chosen id).
        case safe
        /// Never retried in process (the caller retries through a durable job).
        case never
    }

    /// The integration's name for metrics and messages ("PagerDuty").
    public var integration: String
    public var method: Method
    public var url: String
    /// Header names as given; `Authorization` and anything in ``secrets`` never reach a log.
    public var headers: [String: String]
    public var body: Data?
    /// How long one attempt may take.
    public var timeout: Duration
    /// How long all attempts together, waits included, may take.
    public var deadline: Duration
    public var retry: Retry
    /// Attempts in process, the first included.
    public var maxAttempts: Int
    /// Values redacted from error bodies and descriptions besides the `Authorization` header (tokens
    /// that travel in a body or a query, like PagerDuty's routing key).
    public var secrets: [String]

    public init(
        _ method: Method, _ url: String, integration: String, headers: [String: String] = [:], body: Data? = nil,
        timeout: Duration = .seconds(5), deadline: Duration = .seconds(30), retry: Retry = .whenIdempotent, maxAttempts: Int = 3,
        secrets: [String] = []
    ) {
        self.integration = integration
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.deadline = deadline
        self.retry = retry
        self.maxAttempts = max(1, maxAttempts)
        self.secrets = secrets
    }

    /// A request with a JSON body (`Content-Type` and `Accept: application/json`).
    public static func json(
        _ method: Method, _ url: String, integration: String, body: JSONValue, headers: [String: String] = [:],
        retry: Retry = .whenIdempotent, secrets: [String] = []
    ) -> OutboundRequest {
        var all = ["Content-Type": "application/json", "Accept": "application/json"]
        all.merge(headers) { _, given in given }
        return OutboundRequest(method, url, integration: integration, headers: all, body: Data(body.encoded().utf8), retry: retry, secrets: secrets)
    }

    /// Whether a lost connection or a 5xx may be repeated.
    public var repeatsSafely: Bool {
        switch retry {
        case .safe: true
        case .never: false
        case .whenIdempotent: method == .get || method == .put || method == .delete
        }
    }

    /// Every value that must not appear in logs, errors or metrics: ``secrets`` and the credential
    /// in `Authorization` (whole, its token part, and a Basic password).
    public var redactedValues: [String] {
        var values = secrets
        for (name, value) in headers where name.lowercased() == "authorization" || name.lowercased() == "x-api-key" {
            values.append(value)
            if let space = value.firstIndex(of: " ") {
                let credential = String(value[value.index(after: space)...])
                values.append(credential)
                if let equals = credential.firstIndex(of: "=") { values.append(String(credential[credential.index(after: equals)...])) }
                if value.lowercased().hasPrefix("basic "), let decoded = Data(base64Encoded: credential), let text = String(data: decoded, encoding: .utf8) {
                    values.append(text)
                    if let colon = text.firstIndex(of: ":") { values.append(String(text[text.index(after: colon)...])) }
                }
            }
        }
        return values.filter { $0.count >= 4 }
    }
}

/// A 2xx answer.
public struct OutboundResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as JSON; a body that is not JSON is an ``IntegrationError`` (`invalidResponse`).
    public func json(integration: String) throws -> JSONValue {
        do {
            return try JSONValue.decode(body)
        } catch {
            let start = String(decoding: body.prefix(80), as: UTF8.self)
            throw IntegrationError(integration: integration, kind: .invalidResponse("the answer is not JSON: \(start)"), retryable: false)
        }
    }
}
