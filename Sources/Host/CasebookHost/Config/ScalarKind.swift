import Yams

/// What a YAML scalar looks like under the YAML 1.2 core schema. The decoder decides types itself
/// (after interpolation) rather than trusting Yams' tag resolution, which ran on the raw text.
enum ScalarKind: Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string

    /// Quoted scalars are always strings; plain ones are classified by their text.
    init(text: String, plain: Bool) {
        guard plain else {
            self = .string
            return
        }
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default:
            if let integer = Int(text) {
                self = .integer(integer)
            } else if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "." || $0 == "+" }) == true {
                self = .number(number)
            } else {
                self = .string
            }
        }
    }

    /// "found a string" — how problems describe a value of the wrong type.
    var article: String {
        switch self {
        case .null: "an empty value"
        case .bool: "a bool"
        case .integer, .number: "a number"
        case .string: "a string"
        }
    }
}

extension Node.Scalar {
    /// Plain (unquoted) scalars are the only ones YAML resolves to null, bools and numbers.
    var isPlain: Bool {
        style == .plain || style == .any
    }
}
