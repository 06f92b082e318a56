import CasebookKit
import Foundation

/// One Web API call as a method handler sees it: authenticated, scope-checked, arguments parsed.
struct APICall: Sendable {
    let method: String
    /// Form fields arrive as strings; JSON bodies keep their types.
    let arguments: [String: JSONValue]
    /// Simulator clock time of the call.
    let now: Date
    /// `http://127.0.0.1:PORT`, for URLs the method hands out.
    let baseURL: String
    /// `ws://127.0.0.1:PORT` of the Socket Mode listener, for `apps.connections.open`.
    let socketBaseURL: String

    /// A string argument; numbers and booleans of JSON bodies are turned into their text.
    func string(_ key: String) -> String? {
        switch arguments[key] {
        case .string(let value): return value
        case .number: return arguments[key]?.int.map(String.init) ?? arguments[key]?.double.map { String($0) }
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }

    func has(_ key: String) -> Bool { arguments[key] != nil && arguments[key] != .null }

    /// `true`, `"true"` and `"1"` are true (Slack's boolean arguments).
    func bool(_ key: String) -> Bool {
        switch arguments[key] {
        case .bool(let value): return value
        case .string(let value): return value == "true" || value == "1"
        case .number(let value): return value != 0
        default: return false
        }
    }

    func int(_ key: String) -> Int? { arguments[key]?.int }

    /// An array/object argument: as JSON in a JSON body, or a JSON string in a form body.
    /// Throws `code` when a string is not valid JSON.
    func json(_ key: String, invalid code: String) throws -> JSONValue? {
        switch arguments[key] {
        case nil, .null: return nil
        case .string(let text):
            if text.isEmpty { return nil }
            guard let value = try? JSONValue.decode(text) else { throw APIError(code) }
            return value
        case let value?: return value
        }
    }

    /// A comma-separated list argument (`users`, `channels`); JSON arrays are accepted too.
    func list(_ key: String) -> [String] {
        if let array = arguments[key]?.array { return array.compactMap(\.string) }
        return (string(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// An `ok: false` answer: Slack's error code plus any extra top-level fields (`needed`, `errors`, …).
struct APIError: Error, Sendable {
    var code: String
    var extra: [String: JSONValue]

    init(_ code: String, _ extra: [String: JSONValue] = [:]) {
        self.code = code
        self.extra = extra
    }

    /// `invalid_arguments` / `invalid_blocks` carry human-readable detail in `response_metadata.messages`.
    static func withMessages(_ code: String, _ messages: [String]) -> APIError {
        APIError(code, ["response_metadata": ["messages": .array(messages.map(JSONValue.string))]])
    }
}

/// A method implementation: mutates the workspace and returns the fields of the `ok: true` answer.
typealias MethodHandler = @Sendable (inout WorkspaceState, APICall) throws -> [String: JSONValue]
