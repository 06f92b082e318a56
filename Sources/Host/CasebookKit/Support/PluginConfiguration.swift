import Foundation

/// A plugin's configuration declared once: its properties are its keys, their initial values are
/// the defaults, and `validate()` holds the checks that no type can express.
///
/// ```swift
/// public struct Configuration: PluginConfiguration, Equatable {
///     @Required public var notificationsChannel: String   // notifications_channel, must be given
///     public var responseGroup: String?                    // optional: nil when left out or empty
///     @CommaList public var allowedWorkspaces: [String] = []  // a YAML list or "T1, T2"
///     public var slugLength = 11                           // slug_length, 11 when left out
///
///     public static let defaults = Configuration(notificationsChannel: "")
///
///     public mutating func validate() throws {
///         guard (1...60).contains(slugLength) else {
///             throw ConfigurationError("slugLength", "must be between 1 and 60, found \(slugLength)")
///         }
///     }
/// }
/// ```
///
/// The host's decoder gives synthesized `Decodable` what it lacks for `plugins.yaml`:
/// - keys are the snake_case spelling of the property names, so no `CodingKeys` are written;
/// - a key the file leaves out, or gives an empty value (an unset `${VAR:-}`), takes its value from
///   ``defaults``, except a ``Required`` one, which is reported as missing;
/// - string values are trimmed of spaces;
/// - after decoding, ``validate()`` runs, and a ``ConfigurationError`` it throws is reported at the
///   key it names, with file, line and column, like any other configuration problem;
/// - keys nobody declared are still reported as unknown, with the closest known key.
public protocol PluginConfiguration: Decodable, Sendable {
    /// The values keys take when the file leaves them out: usually the memberwise initializer with
    /// placeholders for the ``Required`` keys, whose values here are never used.
    static var defaults: Self { get }

    /// Checks the decoded value against rules a type cannot express (ranges, formats, one key
    /// against another) and may tidy it (resolve a name to an id). Throw ``ConfigurationError``
    /// to have the problem placed at a key.
    mutating func validate() throws
}

extension PluginConfiguration {
    public mutating func validate() throws {}
}

/// A problem ``PluginConfiguration/validate()`` found with one key; the host reports it as
/// `plugins.yaml:7:18: plugins.cases.config.slug_length: must be between 1 and 60, found 0`.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The property (`slugLength`) or key (`slug_length`) concerned.
    public var key: String
    /// Words for a person; never a secret's value.
    public var message: String

    public init(_ key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}

/// A key a configuration cannot do without: leaving it out is reported as
/// `missing required key 'notifications_channel'`, whatever ``PluginConfiguration/defaults`` says.
/// String values are trimmed of spaces; an empty one is left to `validate()` to refuse in words.
@propertyWrapper
public struct Required<Value: Decodable & Sendable>: Decodable, Sendable, RequiredConfigurationKey {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Value.self)
        wrappedValue = ((value as? String)?.trimmingCharacters(in: .whitespaces) as? Value) ?? value
    }
}

extension Required: Equatable where Value: Equatable {}
extension Required: Hashable where Value: Hashable {}

/// Marks ``Required`` for the host's decoder, which never gives such a key a default.
public protocol RequiredConfigurationKey {}

/// A key named by a string, for a hand-written `init(from:)` that needs no `CodingKeys` enum:
/// `container(keyedBy: ConfigKey.self)` then `decode(String.self, forKey: "digest_channel")`.
public struct ConfigKey: CodingKey, Sendable, Hashable, ExpressibleByStringLiteral {
    public var stringValue: String
    public var intValue: Int? { nil }

    public init(_ name: String) { stringValue = name }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    public init(stringLiteral value: String) { stringValue = value }
}
