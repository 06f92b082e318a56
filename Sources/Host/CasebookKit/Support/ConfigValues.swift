/// Readers for the values integration plugins share in their configuration, so every plugin checks
/// a base URL and reads a list the same way.
extension KeyedDecodingContainer {
    /// An `https://` URL without a trailing slash; plain `http://` only to this machine (fakes, the
    /// playground); absent or empty → `default`.
    public func decodeServiceURL(forKey key: Key, default value: String?) throws -> String? {
        let given = try decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !given.isEmpty else { return value }
        try requireSecureURL(given, forKey: key)
        return given.hasSuffix("/") ? String(given.dropLast()) : given
    }

    /// A link people open (a guide, a bookmark) kept exactly as written: `https://`, plain `http://`
    /// only to this machine; nil when absent or empty, so `${LINK:-}` leaves it out.
    public func decodeLink(forKey key: Key) throws -> String? {
        let given = try decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !given.isEmpty else { return nil }
        try requireSecureURL(given, forKey: key)
        return given
    }

    private func requireSecureURL(_ given: String, forKey key: Key) throws {
        if let problem = ServiceURL.problem(given) {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: problem)
        }
    }

    /// A YAML list or a comma-separated string (an environment variable), trimmed, empties dropped;
    /// nil when the key is absent or null.
    public func decodeList(forKey key: Key) throws -> [String]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let items: [String]
        if let list = try? decode([String].self, forKey: key) {
            items = list
        } else {
            items = [try decode(String.self, forKey: key)]
        }
        return CommaSeparated.items(items)
    }
}

/// How a ``ReadWith`` property reads its value from `plugins.yaml`, when the value's own
/// `Decodable` is not how the file writes it.
public protocol ConfigurationReader {
    associatedtype Value: Sendable & Equatable
    /// Reads the value at `decoder` (positioned at the key's value, so a thrown problem is placed there).
    static func read(from decoder: any Decoder) throws -> Value
}

/// A configuration value read by `Reader`: declare it with its default,
/// `@ReadWith<ConfiguredBookmarks> public var bookmarks: [ChannelBookmark] = []`.
@propertyWrapper
public struct ReadWith<Reader: ConfigurationReader>: Decodable, Sendable, Equatable {
    public var wrappedValue: Reader.Value

    public init(wrappedValue: Reader.Value) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try Reader.read(from: decoder)
    }
}

/// Keys read together, from the configuration's own mapping, by a type of their own: for values
/// that depend on one another, such as literature files checked against each other. The property's
/// name is not a key; `Value`'s `init(from:)` reads the keys it knows from the same mapping, and
/// they are checked for typos like every declared key.
/// `@Inline public var literature = RolesLiterature.unread`
@propertyWrapper
public struct Inline<Value: Decodable & Sendable & Equatable>: Decodable, Sendable, Equatable, InlineConfigurationKeys {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try Value(from: decoder)
    }
}

/// Marks ``Inline`` for the host's decoder, which hands it the configuration's own mapping and
/// never gives it a default: its declared initial value is only there for `defaults`.
public protocol InlineConfigurationKeys {}

/// A list written either as a YAML list or as one comma-separated string (what an environment
/// variable holds: `allowed_workspaces: ${ALLOWED_WORKSPACE_IDS:-}`); items are trimmed and empty
/// ones dropped. Declare it with its default: `@CommaList public var approvers = ["commander"]`.
public typealias CommaList = ReadWith<CommaSeparated>

/// Reads a ``CommaList``.
public enum CommaSeparated: ConfigurationReader {
    public static func read(from decoder: any Decoder) throws -> [String] {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            return []
        } else if let list = try? container.decode([String].self) {
            return items(list)
        }
        return items([try container.decode(String.self)])
    }

    /// `["a, b", " c"]` → `["a", "b", "c"]`.
    static func items(_ written: [String]) -> [String] {
        written.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// The base URL of a service a plugin calls, checked in a ``PluginConfiguration/validate()``:
/// `apiURL = try ServiceURL.checked(apiURL, key: "apiURL")`.
public enum ServiceURL {
    /// `given` without a trailing slash, when it is `https://` (plain `http://` only to this machine:
    /// fakes, the playground); a ``ConfigurationError`` at `key` otherwise.
    public static func checked(_ given: String, key: String) throws -> String {
        if let problem = problem(given) {
            throw ConfigurationError(key, problem)
        }
        return given.hasSuffix("/") ? String(given.dropLast()) : given
    }

    static func problem(_ given: String) -> String? {
        guard let parsed = URL(string: given), let scheme = parsed.scheme, let host = parsed.host,
              scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host))
        else {
            return "must be an https:// URL (http:// only to 127.0.0.1 or localhost), found '\(given)'"
        }
        return nil
    }
}
