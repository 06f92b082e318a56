import CasebookKit
import Foundation

/// The part of GraphQL a client of Linear sends: one or more named or anonymous operations with
/// variable definitions, fields with aliases, arguments (variables, literals, lists, input objects)
/// and nested selections. Fragments and directives are refused (the fake says so), so a client
/// that relies on them finds out in tests rather than against Linear.
enum GraphQL {
    struct Operation: Sendable {
        var kind: String  // query | mutation
        var name: String?
        var variables: [VariableDefinition]
        var selections: [Field]
    }

    struct VariableDefinition: Sendable {
        var name: String
        var type: String  // as written: `IssueCreateInput!`, `[String!]`
        var defaultValue: Value?
    }

    struct Field: Sendable {
        var alias: String?
        var name: String
        var arguments: [String: Value]
        var selections: [Field]
        var responseKey: String { alias ?? name }
    }

    indirect enum Value: Sendable {
        case variable(String)
        case literal(JSONValue)
        case enumValue(String)
        case list([Value])
        case object([String: Value])

        /// The value with variables filled in (an absent variable is null).
        func resolved(_ variables: [String: JSONValue]) -> JSONValue {
            switch self {
            case .variable(let name): return variables[name] ?? .null
            case .literal(let value): return value
            case .enumValue(let name): return .string(name)
            case .list(let items): return .array(items.map { $0.resolved(variables) })
            case .object(let fields): return .object(fields.mapValues { $0.resolved(variables) })
            }
        }
    }

    struct SyntaxError: Error, Sendable {
        var message: String
    }

    /// The operations of a document, in order.
    static func parse(_ text: String) throws -> [Operation] {
        var parser = Parser(tokens: try tokenize(text))
        return try parser.document()
    }

    // MARK: Tokens

    enum Token: Equatable, Sendable {
        case punctuator(String)
        case name(String)
        case int(String)
        case float(String)
        case string(String)
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        while let scalar = peek() {
            switch scalar {
            case " ", "\t", "\n", "\r", ",", "\u{FEFF}":
                index += 1
            case "#":
                while let next = peek(), next != "\n" { index += 1 }
            case "{", "}", "(", ")", ":", "!", "$", "[", "]", "=", "@", "|", "&":
                tokens.append(.punctuator(String(scalar)))
                index += 1
            case ".":
                guard peek(1) == ".", peek(2) == "." else { throw SyntaxError(message: "Syntax Error: Unexpected \".\".") }
                tokens.append(.punctuator("..."))
                index += 3
            case "\"":
                if peek(1) == "\"", peek(2) == "\"" {
                    index += 3
                    var value = ""
                    while true {
                        guard let next = peek() else { throw SyntaxError(message: "Syntax Error: Unterminated string.") }
                        if next == "\"", peek(1) == "\"", peek(2) == "\"" { index += 3; break }
                        value.unicodeScalars.append(next)
                        index += 1
                    }
                    tokens.append(.string(value))
                    continue
                }
                index += 1
                var value = ""
                while true {
                    guard let next = peek(), next != "\n" else { throw SyntaxError(message: "Syntax Error: Unterminated string.") }
                    index += 1
                    if next == "\"" { break }
                    guard next == "\\" else { value.unicodeScalars.append(next); continue }
                    guard let escaped = peek() else { throw SyntaxError(message: "Syntax Error: Unterminated string.") }
                    index += 1
                    switch escaped {
                    case "n": value += "\n"
                    case "t": value += "\t"
                    case "r": value += "\r"
                    case "b": value += "\u{08}"
                    case "f": value += "\u{0C}"
                    case "u":
                        let hex = String(String.UnicodeScalarView(scalars[min(index, scalars.count)..<min(index + 4, scalars.count)]))
                        guard hex.count == 4, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else {
                            throw SyntaxError(message: "Syntax Error: Invalid Unicode escape sequence.")
                        }
                        value.unicodeScalars.append(decoded)
                        index += 4
                    default: value.unicodeScalars.append(escaped)
                    }
                }
                tokens.append(.string(value))
            case "-", "0"..."9":
                var number = String(scalar)
                index += 1
                var isFloat = false
                while let next = peek(), ("0"..."9").contains(next) || next == "." || next == "e" || next == "E" || next == "+" || next == "-" {
                    if next == "." || next == "e" || next == "E" { isFloat = true }
                    number.unicodeScalars.append(next)
                    index += 1
                }
                tokens.append(isFloat ? .float(number) : .int(number))
            case "_", "a"..."z", "A"..."Z":
                var name = ""
                while let next = peek(), next == "_" || ("a"..."z").contains(next) || ("A"..."Z").contains(next) || ("0"..."9").contains(next) {
                    name.unicodeScalars.append(next)
                    index += 1
                }
                tokens.append(.name(name))
            default:
                throw SyntaxError(message: "Syntax Error: Unexpected character: \"\(scalar)\".")
            }
        }
        return tokens
    }

    // MARK: Parser

    struct Parser {
        var tokens: [Token]
        var position = 0

        var current: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func document() throws -> [Operation] {
            var operations: [Operation] = []
            while current != nil { operations.append(try operation()) }
            guard !operations.isEmpty else { throw SyntaxError(message: "Syntax Error: Unexpected <EOF>.") }
            return operations
        }

        mutating func operation() throws -> Operation {
            if current == .punctuator("{") { return Operation(kind: "query", name: nil, variables: [], selections: try selectionSet()) }
            guard case .name(let kind) = current, kind == "query" || kind == "mutation" || kind == "subscription" else {
                if case .name("fragment") = current { throw SyntaxError(message: "The fake Linear does not support fragments.") }
                throw SyntaxError(message: "Syntax Error: Unexpected \(describe(current)).")
            }
            position += 1
            var name: String?
            if case .name(let given) = current { name = given; position += 1 }
            var variables: [VariableDefinition] = []
            if current == .punctuator("(") {
                position += 1
                while current != .punctuator(")") {
                    try expect("$")
                    let variable = try self.name()
                    try expect(":")
                    let type = try typeReference()
                    var defaultValue: Value?
                    if current == .punctuator("=") { position += 1; defaultValue = try value() }
                    variables.append(VariableDefinition(name: variable, type: type, defaultValue: defaultValue))
                }
                position += 1
            }
            try refuseDirectives()
            return Operation(kind: kind, name: name, variables: variables, selections: try selectionSet())
        }

        mutating func typeReference() throws -> String {
            var type: String
            if current == .punctuator("[") {
                position += 1
                type = "[" + (try typeReference()) + "]"
                try expect("]")
            } else {
                type = try name()
            }
            if current == .punctuator("!") { position += 1; type += "!" }
            return type
        }

        mutating func selectionSet() throws -> [Field] {
            try expect("{")
            var fields: [Field] = []
            while current != .punctuator("}") {
                guard current != nil else { throw SyntaxError(message: "Syntax Error: Expected Name, found <EOF>.") }
                if current == .punctuator("...") { throw SyntaxError(message: "The fake Linear does not support fragments.") }
                var alias: String?
                var fieldName = try name()
                if current == .punctuator(":") {
                    position += 1
                    alias = fieldName
                    fieldName = try name()
                }
                var arguments: [String: Value] = [:]
                if current == .punctuator("(") {
                    position += 1
                    while current != .punctuator(")") {
                        let argument = try name()
                        try expect(":")
                        arguments[argument] = try value()
                    }
                    position += 1
                }
                try refuseDirectives()
                let selections = current == .punctuator("{") ? try selectionSet() : []
                fields.append(Field(alias: alias, name: fieldName, arguments: arguments, selections: selections))
            }
            position += 1
            guard !fields.isEmpty else { throw SyntaxError(message: "Syntax Error: Expected Name, found \"}\".") }
            return fields
        }

        mutating func value() throws -> Value {
            let token = current
            position += 1
            switch token {
            case .punctuator("$"): return .variable(try name())
            case .int(let text), .float(let text):
                guard let number = Double(text) else { throw SyntaxError(message: "Syntax Error: Invalid number, \(text).") }
                return .literal(.number(number))
            case .string(let text): return .literal(.string(text))
            case .name("true"): return .literal(.bool(true))
            case .name("false"): return .literal(.bool(false))
            case .name("null"): return .literal(.null)
            case .name(let text): return .enumValue(text)
            case .punctuator("["):
                var items: [Value] = []
                while current != .punctuator("]") {
                    guard current != nil else { throw SyntaxError(message: "Syntax Error: Expected \"]\", found <EOF>.") }
                    items.append(try value())
                }
                position += 1
                return .list(items)
            case .punctuator("{"):
                var fields: [String: Value] = [:]
                while current != .punctuator("}") {
                    let field = try name()
                    try expect(":")
                    fields[field] = try value()
                }
                position += 1
                return .object(fields)
            default:
                throw SyntaxError(message: "Syntax Error: Unexpected \(describe(token)).")
            }
        }

        mutating func refuseDirectives() throws {
            if current == .punctuator("@") { throw SyntaxError(message: "The fake Linear does not support directives.") }
        }

        mutating func name() throws -> String {
            guard case .name(let name) = current else { throw SyntaxError(message: "Syntax Error: Expected Name, found \(describe(current)).") }
            position += 1
            return name
        }

        mutating func expect(_ punctuator: String) throws {
            guard current == .punctuator(punctuator) else {
                throw SyntaxError(message: "Syntax Error: Expected \"\(punctuator)\", found \(describe(current)).")
            }
            position += 1
        }

        func describe(_ token: Token?) -> String {
            switch token {
            case nil: "<EOF>"
            case .punctuator(let text): "\"\(text)\""
            case .name(let text): "Name \"\(text)\""
            case .int(let text), .float(let text): "Number \"\(text)\""
            case .string(let text): "String \"\(text)\""
            }
        }
    }
}
