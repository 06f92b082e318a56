import CasebookKit
import Yams

/// A `Decoder` over a composed `Yams.Node`, so configuration errors can name the line and column
/// that Yams' own `YAMLDecoder` loses, and so unread keys can be detected (see ``DecodingLedger``).
///
/// Behaviour beyond a plain YAML decoder:
/// - Swift property names are looked up in snake_case (`notificationsChannel` reads
///   `notifications_channel`); an exact match is accepted too, which keeps dictionary keys intact.
/// - Scalars are interpolated (`${VAR}`, `${VAR:-default}`) when they are read.
/// - Errors are `DecodingError`s whose context carries a ``LocatedProblem`` (position, key path and a
///   message for people) as the underlying error.
/// - A `CaseIterable` enum with `String` raw values is checked first, so a bad value lists the
///   allowed ones.
/// - A ``PluginConfiguration`` gets its defaults for keys left out and is validated after decoding
///   (see ``ConfigurationDefaults``).
struct NodeDecoder: Decoder {
    let node: Node
    /// Absolute path of `node` in the file, for messages.
    let path: ConfigPath
    /// Path relative to the decoded section, as `Codable` sees it.
    let codingPath: [any CodingKey]
    let ledger: DecodingLedger
    /// Where to point when `node` has no mark (a section that is absent from the file).
    let fallbackPosition: SourcePosition
    /// Set while this node is decoded as a ``PluginConfiguration``: what its keys default to.
    var defaults: ConfigurationDefaults?

    /// Carries the host's ``LiteratureLoading`` (``CodingUserInfoKey/casebookLiterature``) to plugin configurations.
    let userInfo: [CodingUserInfoKey: Any]

    var position: SourcePosition { SourcePosition(node.mark, fallback: fallbackPosition) }

    init(
        node: Node, path: ConfigPath, codingPath: [any CodingKey] = [], ledger: DecodingLedger, fallbackPosition: SourcePosition,
        userInfo: [CodingUserInfoKey: Any] = [:]
    ) {
        self.node = node
        self.path = path
        self.codingPath = codingPath
        self.ledger = ledger
        self.fallbackPosition = fallbackPosition
        self.userInfo = userInfo
    }

    func child(_ node: Node, key: any CodingKey, component: ConfigPath.Component) -> NodeDecoder {
        NodeDecoder(
            node: node, path: path.appending(component), codingPath: codingPath + [key], ledger: ledger,
            fallbackPosition: position, userInfo: userInfo)
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = node else {
            throw try mismatch(Key.self, expected: "a mapping")
        }
        ledger.visit(mapping, at: path)
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(decoder: self, mapping: mapping))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let sequence) = node else {
            throw try mismatch([Any].self, expected: "a list")
        }
        return NodeUnkeyedContainer(decoder: self, items: Array(sequence))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(decoder: self)
    }

    // MARK: Values

    /// Decodes `T` from this node, checking string enums against their cases first.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let allowed = Self.allowedValues(of: type) {
            let text = try string()
            guard allowed.contains(text) else {
                let list = allowed.map { "'\($0)'" }.joined(separator: ", ")
                throw corrupted("unknown value \(shown(text)), expected one of \(list)")
            }
        }
        if let configuration = type as? any PluginConfiguration.Type {
            guard let value = try decodeConfiguration(configuration) as? T else {
                throw corrupted("could not be read as \(T.self)")
            }
            return value
        }
        return try T(from: self)
    }

    /// Decodes with the type's defaults, then runs its `validate()`, placing what it throws at the key it names.
    private func decodeConfiguration<C: PluginConfiguration>(_ type: C.Type) throws -> C {
        var decoder = self
        decoder.defaults = ConfigurationDefaults(of: type)
        var value = try C(from: decoder)
        do {
            try value.validate()
        } catch let error as ConfigurationError {
            throw invalid(error)
        }
        return value
    }

    /// A validation problem at the value of the key it names, or at this mapping when the key was left out.
    private func invalid(_ error: ConfigurationError) -> DecodingError {
        let key = ConfigKey(error.key)
        let snake = KeyNaming.snakeCase(error.key)
        if case .mapping(let mapping) = node {
            for name in [snake, error.key] {
                if let value = mapping.value(named: name) {
                    return child(value, key: key, component: .key(name)).corrupted(error.message)
                }
            }
        }
        let problem = LocatedProblem(position: position, path: path.appending(key: snake), message: error.message)
        return .dataCorrupted(DecodingError.Context(codingPath: codingPath + [key], debugDescription: error.message, underlyingError: problem))
    }

    private static func allowedValues<T>(of type: T.Type) -> [String]? {
        guard let iterable = type as? any CaseIterable.Type, type is any RawRepresentable.Type else { return nil }
        func rawValues<C: CaseIterable>(_ cases: C.Type) -> [String] {
            cases.allCases.compactMap { ($0 as? any RawRepresentable)?.rawValue as? String }
        }
        let values = rawValues(iterable)
        return values.isEmpty ? nil : values
    }

    /// The scalar's text after interpolation, and how YAML would type it.
    func scalar() throws -> (text: String, kind: ScalarKind)? {
        guard case .scalar(let scalar) = node else { return nil }
        let text: String
        do {
            text = try EnvironmentInterpolation.interpolate(scalar.string, environment: ledger.environment)
            ledger.interpolated(text, from: scalar.string)
        } catch {
            throw corrupted(error.message)
        }
        return (text, ScalarKind(text: text, plain: scalar.isPlain))
    }

    var isNull: Bool {
        guard let value = try? scalar() else { return false }
        return value.kind == .null
    }

    func string() throws -> String {
        guard let (text, kind) = try scalar() else { throw try mismatch(String.self, expected: "a string") }
        guard kind != .null else { throw missingValue(String.self, expected: "a string") }
        return text
    }

    func bool() throws -> Bool {
        guard let (_, kind) = try scalar(), case .bool(let value) = kind else {
            throw try mismatch(Bool.self, expected: "true or false")
        }
        return value
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let (_, kind) = try scalar(), case .integer(let value) = kind else {
            throw try mismatch(T.self, expected: "a whole number")
        }
        guard let exact = T(exactly: value) else {
            throw corrupted("\(shown(String(value))) is out of range (\(T.min)...\(T.max))")
        }
        return exact
    }

    func floatingPoint() throws -> Double {
        guard let (_, kind) = try scalar() else { throw try mismatch(Double.self, expected: "a number") }
        switch kind {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: throw try mismatch(Double.self, expected: "a number")
        }
    }

    // MARK: Errors

    /// A value for an error message: quoted as written, or — when it came from the environment — the
    /// variable that holds it (`the value of ${EXTERNAL_USERS}`), since variables carry secrets.
    func shown(_ text: String) -> String {
        guard case .scalar(let scalar) = node, scalar.string.contains("${") else { return "'\(text)'" }
        return "the value of \(scalar.string)"
    }

    /// How the node reads to a person: "a list", "a string", "an empty value".
    func found() throws -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar: try scalar()?.kind.article ?? "a string"
        }
    }

    func located(_ message: String) -> LocatedProblem {
        LocatedProblem(position: position, path: path, message: message)
    }

    func mismatch(_ type: Any.Type, expected: String) throws -> DecodingError {
        let problem = located("expected \(expected), found \(try found())")
        if isNull {
            return .valueNotFound(type, context(problem))
        }
        return .typeMismatch(type, context(problem))
    }

    func missingValue(_ type: Any.Type, expected: String) -> DecodingError {
        .valueNotFound(type, context(located("expected \(expected), found an empty value")))
    }

    func corrupted(_ message: String) -> DecodingError {
        .dataCorrupted(context(located(message)))
    }

    func context(_ problem: LocatedProblem) -> DecodingError.Context {
        DecodingError.Context(codingPath: codingPath, debugDescription: problem.message, underlyingError: problem)
    }
}

/// Index keys for list items, so `codingPath` stays standard.
struct IndexCodingKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ index: Int) {
        self.intValue = index
        self.stringValue = "\(index)"
    }

    init?(stringValue: String) {
        guard let index = Int(stringValue) else { return nil }
        self.init(index)
    }

    init?(intValue: Int) {
        self.init(intValue)
    }
}

struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floatingPoint() }
    func decode(_ type: Float.Type) throws -> Float { Float(try decoder.floatingPoint()) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decoder.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decoder.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decoder.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decoder.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decoder.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decoder.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decoder.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decoder.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}
