/// A JSON document as a value. Slack payloads are wide and loosely typed; handlers read the few
/// fields they need through typed accessors instead of decoding every shape Slack has ever sent.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                try container.encode(Int64(number))
            } else {
                try container.encode(number)
            }
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let value): return value == "true" ? true : (value == "false" ? false : nil)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .number(let value): return Int(exactly: value.rounded()) 
        case .string(let value): return Int(value)
        default: return nil
        }
    }

    public var double: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Compact JSON text with sorted keys, so equal values always encode the same way.
    public func encoded() -> String {
        String(decoding: encodedBytes(), as: UTF8.self)
    }

    /// ``encoded()`` as UTF-8 bytes, for bodies and frames that never need a `String`.
    public func encodedBytes() -> [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }

    /// Parses JSON text. Any value may stand at the top level; only whitespace may follow it.
    public static func decode(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { bytes throws(SyntaxError) in try JSONReader.read(bytes) }
    }

    /// Parses JSON text given as UTF-8 bytes.
    public static func decode(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw throws(SyntaxError) in try JSONReader.read(raw.assumingMemoryBound(to: UInt8.self)) }
    }

    /// Parses JSON text given as UTF-8 bytes.
    public static func decode(bytes: some Collection<UInt8>) throws -> JSONValue {
        if let result = try bytes.withContiguousStorageIfAvailable({ buffer throws(SyntaxError) in try JSONReader.read(buffer) }) {
            return result
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer throws(SyntaxError) in try JSONReader.read(buffer) }
    }

    /// Text that is not JSON: where (a byte offset) and why.
    public struct SyntaxError: Error, CustomStringConvertible, Sendable {
        public var offset: Int
        public var reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// Converts any `Encodable` value into a `JSONValue`.
    public static func from<T: Encodable>(_ value: T) throws -> JSONValue {
        try decode(JSONEncoder().encode(value))
    }

    /// Decodes this value into a `Decodable` type.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(encodedBytes()))
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
