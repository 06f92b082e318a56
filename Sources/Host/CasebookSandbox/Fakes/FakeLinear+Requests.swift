import CasebookKit
import Foundation
import Synchronization

/// What every request to `/graphql` goes through: authentication, the request budget (and its
/// headers on every answer), the document (parse, operation, variables, selections), then the
/// operation's fields. Malformed requests, failed validation, authentication and rate limiting
/// answer HTTP 400; errors of the operation itself answer HTTP 200, as Linear does.
extension FakeLinear.Workspace {
    static let complexityLimit = 3_000_000

    func answer(_ request: FakeRequest) -> FakeResponse {
        let now = clock()
        guard let credential = credential(request) else {
            let status = ledger.withLock { $0.authenticationErrorStatus }
            return Self.errors([Self.error(
                "Authentication required, not authenticated", type: "authentication error", code: "AUTHENTICATION_ERROR", statusCode: 401)],
                status: status)
        }
        let (admitted, refusal, headers) = budget(credential, complexity: Self.complexity(of: request), at: now)
        guard admitted else {
            let error = Self.error("Rate limit exceeded", type: "ratelimited", code: "RATELIMITED", statusCode: 429)
            return Self.errors([error], status: refusal == .http429 ? 429 : 400).adding(headers: headers)
        }
        return execute(request, at: now).adding(headers: headers)
    }

    /// The key or token the request is authorised by: an API key verbatim, an OAuth token after
    /// `Bearer ` (an API key after `Bearer ` is refused, as Linear does).
    private func credential(_ request: FakeRequest) -> String? {
        guard let header = request.headers["authorization"]?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            return oauthTokens.contains(token) ? token : nil
        }
        return apiKeys.contains(header) ? header : nil
    }

    /// Counts the request against the credential's budget; the `X-RateLimit-*` and `X-Complexity`
    /// headers to send (resets in epoch milliseconds).
    private func budget(
        _ credential: String, complexity: Int, at now: Date
    ) -> (Bool, FakeLinear.RateLimit.Refusal, [(String, String)]) {
        ledger.withLock { ledger in
            let exhausted = ledger.exhaustedUntil.map { $0 > now } ?? false
            let admitted = !exhausted && ledger.limiter.admit(credential, at: now)
            let remaining = exhausted ? 0 : ledger.limiter.remaining(credential, at: now)
            let wait = ledger.limiter.secondsUntilReset(credential, at: now)
            var reset = now.addingTimeInterval(TimeInterval(wait == 0 ? Int(ledger.rateLimit.window) : wait))
            if exhausted, let until = ledger.exhaustedUntil { reset = until }
            let resetMillis = String(Int64((reset.timeIntervalSince1970 * 1000).rounded()))
            let headers = [
                ("X-RateLimit-Requests-Limit", String(ledger.rateLimit.requests)),
                ("X-RateLimit-Requests-Remaining", String(remaining)),
                ("X-RateLimit-Requests-Reset", resetMillis),
                ("X-RateLimit-Complexity-Limit", String(Self.complexityLimit)),
                ("X-RateLimit-Complexity-Remaining", String(admitted ? Self.complexityLimit - complexity : 0)),
                ("X-RateLimit-Complexity-Reset", resetMillis),
                ("X-Complexity", String(complexity)),
            ]
            return (admitted, ledger.rateLimit.refusal, headers)
        }
    }

    /// A rough query cost: one point per selected field.
    private static func complexity(of request: FakeRequest) -> Int {
        guard let query = request.json?["query"]?.string, let operations = try? GraphQL.parse(query) else { return 1 }
        func count(_ fields: [GraphQL.Field]) -> Int { fields.reduce(0) { $0 + 1 + count($1.selections) } }
        return max(1, operations.reduce(0) { $0 + count($1.selections) })
    }

    // MARK: The document

    private func execute(_ request: FakeRequest, at now: Date) -> FakeResponse {
        guard let body = request.json, let query = body["query"]?.string else {
            return Self.errors([Self.error("Must provide query string.", type: "graphql error", code: "BAD_REQUEST")], status: 400)
        }
        let operations: [GraphQL.Operation]
        do {
            operations = try GraphQL.parse(query)
        } catch let error as GraphQL.SyntaxError {
            return Self.errors([Self.error(error.message, type: "graphql error", code: "GRAPHQL_PARSE_FAILED")], status: 400)
        } catch {
            return Self.errors([Self.error("\(error)", type: "graphql error", code: "GRAPHQL_PARSE_FAILED")], status: 400)
        }
        let wanted = body["operationName"]?.string
        let chosen = wanted.map { name in operations.first { $0.name == name } } ?? (operations.count == 1 ? operations.first : nil)
        guard let operation = chosen else {
            let message = wanted.map { "Unknown operation named \"\($0)\"." } ?? "Must provide operation name if query contains multiple operations."
            return Self.errors([Self.error(message, type: "graphql error", code: "BAD_REQUEST")], status: 400)
        }
        guard operation.kind != "subscription" else {
            return Self.errors([Self.error("Subscriptions are not served over HTTP.", type: "graphql error", code: "BAD_REQUEST")], status: 400)
        }
        let (variables, problems) = Self.variables(of: operation, given: body["variables"]?.object ?? [:])
        let root = operation.kind == "mutation" ? "Mutation" : "Query"
        let validation = problems + FakeLinearSchema.validate(operation.selections, on: root)
            + operation.selections.filter { $0.name == "issueCreate" }.flatMap { field -> [String] in
                guard case .variable = field.arguments["input"] else {
                    return FakeLinearSchema.coerceIssueCreateInput(field.arguments["input"]?.resolved(variables) ?? .null, variable: "input")
                }
                return []
            }
        guard validation.isEmpty else {
            return Self.errors(validation.map { Self.error($0, type: "graphql error", code: "GRAPHQL_VALIDATION_FAILED") }, status: 400)
        }

        var data: [String: JSONValue] = [:]
        var errors: [JSONValue] = []
        for field in operation.selections {
            switch resolve(field, variables: variables, at: now) {
            case .success(let value):
                data[field.responseKey] = field.selections.isEmpty ? value : Self.select(value, field.selections)
            case .failure(let error):
                var located = error.json
                if case .object(var object) = located {
                    object["path"] = [.string(field.responseKey)]
                    located = .object(object)
                }
                errors.append(located)
            }
        }
        // Every root field here is non-null: one error nulls `data` (GraphQL's null propagation).
        guard errors.isEmpty else { return .json(["errors": .array(errors), "data": .null]) }
        return .json(["data": .object(data)])
    }

    /// The operation's variables with defaults applied; problems for required ones not given and
    /// for an `IssueCreateInput` that does not fit its type.
    private static func variables(of operation: GraphQL.Operation, given: [String: JSONValue]) -> ([String: JSONValue], [String]) {
        var values: [String: JSONValue] = [:]
        var problems: [String] = []
        for definition in operation.variables {
            let value = given[definition.name] ?? definition.defaultValue?.resolved([:])
            if definition.type.hasSuffix("!"), value == nil || value == .null {
                problems.append("Variable \"$\(definition.name)\" of required type \"\(definition.type)\" was not provided.")
                continue
            }
            if let value, value != .null, definition.type.hasPrefix("IssueCreateInput") {
                problems += FakeLinearSchema.coerceIssueCreateInput(value, variable: definition.name)
            }
            values[definition.name] = value
        }
        return (values, problems)
    }

    /// The requested fields of `value` only, under their aliases.
    static func select(_ value: JSONValue, _ fields: [GraphQL.Field]) -> JSONValue {
        switch value {
        case .array(let items):
            return .array(items.map { select($0, fields) })
        case .object(let object):
            var selected: [String: JSONValue] = [:]
            for field in fields {
                let inner = object[field.name] ?? .null
                selected[field.responseKey] = field.selections.isEmpty ? inner : select(inner, field.selections)
            }
            return .object(selected)
        default:
            return value
        }
    }

    // MARK: Errors

    /// A GraphQL error with Linear's extensions.
    struct Failure: Error {
        var json: JSONValue
    }

    static func error(_ message: String, type: String, code: String, statusCode: Int? = nil, userError: Bool = false) -> JSONValue {
        var extensions: [String: JSONValue] = ["type": .string(type), "code": .string(code), "userError": .bool(userError)]
        if let statusCode { extensions["statusCode"] = .number(Double(statusCode)) }
        if userError { extensions["userPresentableMessage"] = .string(message) }
        return ["message": .string(message), "locations": [["line": 1, "column": 1]], "extensions": .object(extensions)]
    }

    /// `invalid input` / `INPUT_ERROR`, what Linear answers for unknown ids and invalid values.
    static func invalidInput(_ message: String) -> Failure {
        Failure(json: error(message, type: "invalid input", code: "INPUT_ERROR", statusCode: 400, userError: true))
    }

    static func errors(_ errors: [JSONValue], status: Int) -> FakeResponse {
        .json(["errors": .array(errors), "data": .null], status: status)
    }
}
