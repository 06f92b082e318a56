import CasebookKit
import Foundation
import Synchronization

/// What every management API request goes through: authentication (`Authorization: OAuth <key>`
/// or `?api_key=`), the per-token limiter, the page id, and the body (JSON or form-encoded with
/// bracket notation, `Content-Type` deciding).
extension FakeStatuspage.Account {
    /// Registers `path` and `path.json`, the two spellings Statuspage accepts.
    func route(_ service: FakeService, _ method: String, _ path: String, _ handler: @escaping @Sendable (FakeRequest) -> FakeResponse) {
        let answer: @Sendable (FakeRequest) async -> FakeResponse = { [self] request in authorized(request, handler) }
        service.route(method, path, answer)
        if !path.hasSuffix("/:id") { service.route(method, path + ".json", answer) }
    }

    func authorized(_ request: FakeRequest, _ handler: (FakeRequest) -> FakeResponse) -> FakeResponse {
        guard let key = apiKey(request) else { return Self.error(401, "Could not authenticate") }
        let now = now()
        let refusal = ledger.withLock { ledger -> FakeResponse? in
            guard var limiter = ledger.limiter, let limit = ledger.rateLimit else { return nil }
            defer { ledger.limiter = limiter }
            guard !limiter.admit(key, at: now) else { return nil }
            let wait = max(1, limiter.secondsUntilReset(key, at: now))
            return Self.error(limit.status, "Rate limit exceeded").adding(headers: [("Retry-After", String(wait))])
        }
        if let refusal { return refusal }
        var request = request
        if let id = request.pathParameters["id"], id.hasSuffix(".json") { request.pathParameters["id"] = String(id.dropLast(5)) }
        guard request.pathParameters["page"] == pageID else { return Self.error(404, "The page could not be found") }
        return handler(request)
    }

    private func apiKey(_ request: FakeRequest) -> String? {
        if let header = request.headers["authorization"] {
            guard header.hasPrefix("OAuth ") else { return nil }
            let key = String(header.dropFirst("OAuth ".count)).trimmingCharacters(in: .whitespaces)
            return apiKeys.contains(key) ? key : nil
        }
        guard let key = request.queryValues("api_key").last else { return nil }
        return apiKeys.contains(key) ? key : nil
    }

    /// The body as JSON: a JSON document, or a form (`incident[name]=…&incident[component_ids][]=…`)
    /// turned into the same structure. Nil when it is neither.
    static func body(_ request: FakeRequest) -> JSONValue? {
        let type = request.headers["content-type"]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return form(String(decoding: request.body, as: UTF8.self))
        }
        return request.json
    }

    /// Bracket notation: `a[b]=1` sets a.b, `a[c][]=x` appends to a.c, `a[d][k]=v` sets a.d.k;
    /// `true`/`false` become booleans.
    static func form(_ text: String) -> JSONValue {
        var root: [String: JSONValue] = [:]
        for pair in text.split(separator: "&") {
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FakeRequest.decodeQueryComponent(halves[0])
            let raw = halves.count == 2 ? FakeRequest.decodeQueryComponent(halves[1]) : ""
            let value: JSONValue = raw == "true" ? .bool(true) : raw == "false" ? .bool(false) : .string(raw)
            var keys: [String] = []
            var rest = Substring(name)
            if let open = rest.firstIndex(of: "[") {
                keys.append(String(rest[..<open]))
                rest = rest[open...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    keys.append(String(rest[rest.index(after: rest.startIndex)..<close]))
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                keys.append(name)
            }
            root = set(root, keys[...], value)
        }
        return .object(root)
    }

    private static func set(_ object: [String: JSONValue], _ keys: ArraySlice<String>, _ value: JSONValue) -> [String: JSONValue] {
        guard let key = keys.first else { return object }
        var object = object
        let rest = keys.dropFirst()
        if rest.first == "" {
            object[key] = .array((object[key]?.array ?? []) + [value])
        } else if rest.isEmpty {
            object[key] = value
        } else {
            object[key] = .object(set(object[key]?.object ?? [:], rest, value))
        }
        return object
    }

    /// `{"error": "…"}`, the shape observed for 401 (and used for 404 and 429 here).
    static func error(_ status: Int, _ message: String) -> FakeResponse {
        .json(["error": .string(message)], status: status)
    }

    /// `{"error": ["…", "…"]}` for 422: one sentence per invalid field.
    static func invalid(_ problems: [String]) -> FakeResponse {
        .json(["error": .array(problems.map(JSONValue.string))], status: 422)
    }

    static func formatDate(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
