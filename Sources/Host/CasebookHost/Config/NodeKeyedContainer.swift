import CasebookKit
import Foundation
import Yams

/// Keyed access to a YAML mapping. Every lookup is recorded in the ledger, present or not, so the
/// keys a type knows about are known even when the file leaves them out.
struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let mapping: Node.Mapping
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.ledger.open(at: decoder.path)
        return mapping.keys.compactMap { $0.scalar.flatMap { Key(stringValue: $0.string) } }
    }

    /// The value for `key`: its snake_case spelling first, then the exact name.
    private func entry(_ key: Key) -> (name: String, value: Node)? {
        let snake = KeyNaming.snakeCase(key.stringValue)
        for name in snake == key.stringValue ? [snake] : [snake, key.stringValue] {
            if let value = mapping.value(named: name) {
                decoder.ledger.ask(name, at: decoder.path)
                return (name, value)
            }
        }
        decoder.ledger.ask(snake, at: decoder.path)
        return nil
    }

    private func child(_ key: Key) throws -> NodeDecoder {
        guard let (name, value) = entry(key) else {
            let problem = decoder.located("missing required key '\(KeyNaming.snakeCase(key.stringValue))'")
            throw DecodingError.keyNotFound(key, decoder.context(problem))
        }
        return decoder.child(value, key: key, component: .key(name))
    }

    /// Reads `key` with `read`, or — in a ``PluginConfiguration`` — takes its default when the file
    /// leaves the key out or empty.
    private func value<T>(_ key: Key, _ read: (NodeDecoder) throws -> T) throws -> T {
        if let defaults = decoder.defaults, isLeftOut(key), let value = defaults.value(for: key, as: T.self) {
            return value
        }
        return try read(try child(key))
    }

    /// Absent, null, or a string that is empty once interpolated and trimmed (an unset `${VAR:-}`).
    private func isLeftOut(_ key: Key) -> Bool {
        guard let (name, value) = entry(key) else { return true }
        guard let scalar = try? decoder.child(value, key: key, component: .key(name)).scalar() else { return false }
        return scalar.kind == .null || scalar.text.trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// In a ``PluginConfiguration`` an empty value counts as left out, so an optional key set from
    /// an unset `${VAR:-}` reads as its default (usually nil) rather than "".
    private func present<T: Decodable>(_ key: Key, _ read: () throws -> T) throws -> T? {
        if let defaults = decoder.defaults, isLeftOut(key) {
            return defaults.value(for: key, as: T.self)
        }
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try read()
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try present(key) { try decode(type, forKey: key) } }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key) { try decode(type, forKey: key) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key) { try decode(type, forKey: key) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key) { try decode(type, forKey: key) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key) { try decode(type, forKey: key) } }

    func contains(_ key: Key) -> Bool {
        entry(key) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        try child(key).isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        // ``Inline`` keys live in this mapping, beside the property's own (which is no key).
        if type is any InlineConfigurationKeys.Type { return try T(from: decoder) }
        return try value(key) { try $0.decodeValue(type) }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(key) { try $0.bool() } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        // A configuration's strings are trimmed: values from the environment often carry stray spaces.
        try value(key) { decoder.defaults == nil ? try $0.string() : try $0.string().trimmingCharacters(in: .whitespaces) }
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(key) { try $0.floatingPoint() } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(key) { Float(try $0.floatingPoint()) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(key) { try $0.integer(type) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(key) { try $0.integer(type) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(key) { try $0.integer(type) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(key) { try $0.integer(type) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(key) { try $0.integer(type) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(key) { try $0.integer(type) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(key) { try $0.integer(type) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(key) { try $0.integer(type) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(key) { try $0.integer(type) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(key) { try $0.integer(type) } }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        decoder
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try child(key)
    }
}

/// Sequential access to a YAML list.
struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [Node]
    private(set) var currentIndex = 0

    init(decoder: NodeDecoder, items: [Node]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private func current(_ type: Any.Type) throws -> NodeDecoder {
        guard !isAtEnd else {
            let problem = decoder.located("expected more than \(items.count) items")
            throw DecodingError.valueNotFound(type, decoder.context(problem))
        }
        return decoder.child(items[currentIndex], key: IndexCodingKey(currentIndex), component: .index(currentIndex))
    }

    private mutating func next<T>(_ read: (NodeDecoder) throws -> T) throws -> T {
        let value = try read(try current(T.self))
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard try current(Any.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next { try $0.decodeValue(type) } }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next { try $0.bool() } }
    mutating func decode(_ type: String.Type) throws -> String { try next { try $0.string() } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next { try $0.floatingPoint() } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next { Float(try $0.floatingPoint()) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next { try $0.integer(type) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next { try $0.integer(type) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next { try $0.integer(type) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next { try $0.container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next { try $0.unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next { $0 }
    }
}

extension Node.Mapping {
    /// The value whose key is the scalar `name`, compared as text (not by resolved YAML tag, so a key
    /// such as `on` or `1` is found by its spelling).
    func value(named name: String) -> Node? {
        first { $0.key.scalar?.string == name }?.value
    }

    /// The key node itself, for pointing at `name:` in messages.
    func keyNode(named name: String) -> Node? {
        first { $0.key.scalar?.string == name }?.key
    }
}
