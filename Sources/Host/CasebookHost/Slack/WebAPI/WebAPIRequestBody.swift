import CasebookKit
import Foundation

/// The body of a Web API call: JSON where the method accepts it, form-encoded otherwise
/// (reference/slack.md §5.1). The token is never part of it; it travels in the header.
struct WebAPIRequestBody: Equatable {
    var contentType: String
    var bytes: [UInt8]

    static let json = "application/json; charset=utf-8"
    static let form = "application/x-www-form-urlencoded"

    init(arguments: [String: JSONValue], json: Bool) {
        if json {
            contentType = Self.json
            bytes = Array(JSONValue.object(arguments).encoded().utf8)
        } else {
            contentType = Self.form
            bytes = Array(Self.formEncoded(arguments).utf8)
        }
    }

    /// `a=1&b=x%20y`, keys sorted. Arrays and objects become JSON text, as Slack expects for
    /// `blocks`, `view` and friends in form bodies; `null` arguments are left out.
    static func formEncoded(_ arguments: [String: JSONValue]) -> String {
        arguments.keys.sorted().compactMap { key -> String? in
            guard let value = arguments[key], let text = formValue(value) else { return nil }
            return escape(key) + "=" + escape(text)
        }.joined(separator: "&")
    }

    static func formValue(_ value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let string): return string
        case .bool(let bool): return bool ? "true" : "false"
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .array, .object: return value.encoded()
        }
    }

    private static let unreserved: CharacterSet = {
        var set = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        set.insert(charactersIn: "-._~")
        return set
    }()

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
