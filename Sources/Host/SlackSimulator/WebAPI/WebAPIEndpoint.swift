import CasebookKit
import Foundation
import SlackMethods

/// An HTTP request to `/api/<method>` reduced to what Slack looks at.
struct WebAPIRequest: Sendable {
    var method: String
    var authorization: String?
    var contentType: String?
    var query: String?
    var body: Data
}

/// The HTTP answer: status, extra headers (`Retry-After`) and the JSON body.
struct WebAPIResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var json: JSONValue
}

/// Answers Web API calls in the order real Slack checks them: injected faults, `unknown_method`,
/// rate tier, authentication (`not_authed`, `invalid_auth`, `not_allowed_token_type`), granted
/// scopes (`missing_scope`), body parsing (JSON only where the catalogue says
/// `json_input_supported`), required arguments (`invalid_arguments`), then the method itself.
final class WebAPIEndpoint: Sendable {
    static let handlers: [String: MethodHandler] = {
        var all: [String: MethodHandler] = [:]
        for family in [
            AuthAPI.handlers, ConversationsAPI.handlers, ChatAPI.handlers, PinsAPI.handlers, BookmarksAPI.handlers,
            ReactionsAPI.handlers, UsersAPI.handlers, ViewsAPI.handlers, FilesAPI.handlers,
        ] {
            all.merge(family) { first, _ in first }
        }
        return all
    }()

    private let store: SimulatorStore
    private let faults: FaultPlan
    private let tiers: RateTiers
    private let log: CallLog
    private let clock: any WallClock
    private let baseURL: @Sendable () -> String
    private let socketBaseURL: @Sendable () -> String

    init(store: SimulatorStore, faults: FaultPlan, tiers: RateTiers, log: CallLog, clock: any WallClock,
         baseURL: @escaping @Sendable () -> String, socketBaseURL: @escaping @Sendable () -> String) {
        self.store = store
        self.faults = faults
        self.tiers = tiers
        self.log = log
        self.clock = clock
        self.baseURL = baseURL
        self.socketBaseURL = socketBaseURL
    }

    func respond(to request: WebAPIRequest) async -> WebAPIResponse {
        let started = ContinuousClock.now
        if let latency = faults.latency(for: request.method) { try? await Task.sleep(for: latency) }
        await faults.gathering.wait(for: request.method)
        let parsed = parseArguments(request)
        var arguments = parsed.arguments
        let formToken = arguments.removeValue(forKey: "token")?.string
        let response: WebAPIResponse
        let outcome: APICallRecord.Outcome
        switch faults.verdict(for: request.method) {
        case .rateLimited(let seconds):
            response = Self.rateLimited(seconds)
            outcome = .error("ratelimited")
        case .serverError(let status):
            response = WebAPIResponse(status: status, headers: [:], json: ["ok": false, "error": status == 503 ? "service_unavailable" : "internal_error"])
            outcome = .httpStatus(status)
        case .proceed:
            var answer = answer(request, arguments: arguments, parsed: parsed, formToken: formToken)
            if parsed.missingCharset, case .object(var object) = answer.json {
                object["warning"] = "missing_charset"
                var metadata = object["response_metadata"]?.object ?? [:]
                metadata["warnings"] = ["missing_charset"]
                object["response_metadata"] = .object(metadata)
                answer.json = .object(object)
            }
            response = answer
            outcome = answer.json["ok"]?.bool == true ? .ok : .error(answer.json["error"]?.string ?? "unknown")
            if faults.losesResponse(for: request.method) {
                // Done, but the caller hears a 503 (the call log keeps what really happened).
                log.append(APICallRecord(method: request.method, arguments: arguments, started: started, ended: .now, outcome: outcome))
                return WebAPIResponse(status: 503, headers: [:], json: ["ok": false, "error": "service_unavailable"])
            }
        }
        log.append(APICallRecord(method: request.method, arguments: arguments, started: started, ended: .now, outcome: outcome))
        return response
    }

    static func rateLimited(_ seconds: Int) -> WebAPIResponse {
        WebAPIResponse(status: 429, headers: ["Retry-After": String(seconds)], json: ["ok": false, "error": "ratelimited"])
    }

    private func answer(_ request: WebAPIRequest, arguments: [String: JSONValue], parsed: ParsedBody, formToken: String?) -> WebAPIResponse {
        func failure(_ code: String, _ extra: [String: JSONValue] = [:]) -> WebAPIResponse {
            var object = extra
            object["ok"] = false
            object["error"] = .string(code)
            return WebAPIResponse(status: 200, headers: [:], json: .object(object))
        }
        guard let spec = SlackMethodCatalog.method(request.method), let handler = Self.handlers[request.method] else {
            return failure("unknown_method", ["req_method": .string(request.method)])
        }
        if let wait = tiers.admit(request.method, tier: spec.tier, channel: arguments["channel"]?.string) { return Self.rateLimited(wait) }

        // Authentication: a bearer header, or a `token` form field (never a JSON body field).
        let (workspace, granted) = store.withState { ($0.workspace, $0.grantedScopes) }
        let isSocketOpen = request.method == "apps.connections.open"
        let token = Self.bearer(request.authorization) ?? (isSocketOpen ? nil : formToken.flatMap { $0.isEmpty ? nil : $0 })
        guard let token else { return failure("not_authed") }
        switch token {
        case workspace.botToken where !isSocketOpen, workspace.appToken where isSocketOpen:
            break
        case workspace.botToken, workspace.appToken:
            return failure("not_allowed_token_type")
        default:
            return failure("invalid_auth")
        }

        if !isSocketOpen, let granted, !spec.botScopes.isEmpty, !spec.botScopes.contains(where: granted.contains) {
            return failure("missing_scope", [
                "needed": .string(spec.botScopes.joined(separator: ",")),
                "provided": .string(granted.sorted().joined(separator: ",")),
            ])
        }
        if let problem = parsed.problem { return failure(problem) }

        let missing = spec.requiredArguments.filter { arguments[$0] == nil }
        if !missing.isEmpty {
            return failure("invalid_arguments", ["response_metadata": ["messages": .array(missing.map { .string("[ERROR] missing required field: \($0)") })]])
        }

        let call = APICall(method: request.method, arguments: arguments, now: clock.now(), baseURL: baseURL(), socketBaseURL: socketBaseURL())
        do {
            let fields = try store.withState { state in try handler(&state, call) }
            var object = fields
            object["ok"] = true
            return WebAPIResponse(status: 200, headers: [:], json: .object(object))
        } catch let error as APIError {
            return failure(error.code, error.extra)
        } catch {
            return failure("internal_error")
        }
    }

    static func bearer(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    struct ParsedBody {
        var arguments: [String: JSONValue] = [:]
        /// `invalid_json` / `json_not_object`, reported after authentication.
        var problem: String?
        var missingCharset = false
    }

    /// Query parameters always count; a form body adds its fields; a JSON body counts only for
    /// methods with `json_input_supported` — otherwise Slack ignores it, as the real API does.
    private func parseArguments(_ request: WebAPIRequest) -> ParsedBody {
        var parsed = ParsedBody()
        for (key, value) in FormEncoding.decode(request.query ?? "") { parsed.arguments[key] = .string(value) }
        let contentType = (request.contentType ?? "").lowercased()
        let bodyText = String(decoding: request.body, as: UTF8.self)
        if contentType.hasPrefix("application/json") {
            parsed.missingCharset = !contentType.contains("charset")
            guard SlackMethodCatalog.method(request.method)?.jsonInputSupported == true, !request.body.isEmpty else { return parsed }
            guard let json = try? JSONValue.decode(request.body) else {
                parsed.problem = "invalid_json"
                return parsed
            }
            guard let object = json.object else {
                parsed.problem = "json_not_object"
                return parsed
            }
            for (key, value) in object where key != "token" { parsed.arguments[key] = value }
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") || (contentType.isEmpty && !bodyText.isEmpty) {
            for (key, value) in FormEncoding.decode(bodyText) { parsed.arguments[key] = .string(value) }
        }
        return parsed
    }
}
