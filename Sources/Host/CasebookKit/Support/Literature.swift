/// "Literature": YAML files teams edit without touching code (severity levels, roles, checklists),
/// read while a plugin's configuration is decoded so a bad file fails `casebook check-config` like
/// a bad `plugins.yaml`, with the file's path, line, column and key path.
///
/// Plugins import only CasebookKit, which has no YAML parser, so the host injects one through the
/// decoder's `userInfo` (``CodingUserInfoKey/casebookLiterature``). A plugin asks for it from its
/// `Configuration.init(from:)`:
///
/// ```swift
/// let container = try decoder.container(keyedBy: CodingKeys.self)
/// severities = try container.decodeLiterature(Severities.self, fileForKey: .severitiesFile)
///     ?? decoder.literature(Severities.self, builtIn: Severities.builtInYAML, name: "built-in severities")
/// ```
///
/// The file is decoded with the same rules as `plugins.yaml` (snake_case keys, unknown keys are
/// errors, string enums list their values). Relative paths resolve against the directory of the
/// configuration file (the working directory when the configuration is not read from a file).
public protocol LiteratureLoading: Sendable {
    /// Reads and decodes the YAML file at `path`. `reference` is the decoder positioned at the value
    /// that named the file, so a missing file is reported at that key of `plugins.yaml`.
    func decode<T: Decodable>(_ type: T.Type, file path: String, referencedBy reference: any Decoder) throws -> T
    /// Decodes YAML text compiled into the binary; `name` stands in for a file name in problems.
    func decode<T: Decodable>(_ type: T.Type, builtIn text: String, name: String) throws -> T
    /// Reads the text file at `path` as it is (templates: RCA and postmortem bodies), resolved and
    /// reported like a YAML literature file. No `${VAR}` interpolation: the text is the user's.
    func text(file path: String, referencedBy reference: any Decoder) throws -> String
}

extension CodingUserInfoKey {
    /// Where the host puts its ``LiteratureLoading`` in a configuration decoder's `userInfo`.
    public static let casebookLiterature: CodingUserInfoKey = {
        // The initializer is failable only for historical reasons; it accepts every string.
        guard let key = CodingUserInfoKey(rawValue: "casebook.literature") else {
            preconditionFailure("CodingUserInfoKey(rawValue:) accepts any string")
        }
        return key
    }()
}

extension Decoder {
    /// The host's literature loader, when this decoder reads `plugins.yaml`.
    public var literatureLoader: (any LiteratureLoading)? {
        userInfo[.casebookLiterature] as? any LiteratureLoading
    }

    /// Decodes the YAML file at `path` (this decoder is the value that named it, for error placement).
    public func literature<T: Decodable>(_ type: T.Type, file path: String) throws -> T {
        try requireLiteratureLoader().decode(type, file: path, referencedBy: self)
    }

    /// Decodes built-in YAML text (the defaults compiled into the binary).
    public func literature<T: Decodable>(_ type: T.Type, builtIn text: String, name: String) throws -> T {
        try requireLiteratureLoader().decode(type, builtIn: text, name: name)
    }

    /// Reads the text file at `path` (this decoder is the value that named it, for error placement).
    public func literatureText(file path: String) throws -> String {
        try requireLiteratureLoader().text(file: path, referencedBy: self)
    }

    private func requireLiteratureLoader() throws -> any LiteratureLoading {
        guard let loader = literatureLoader else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath,
                debugDescription: "literature files can only be read while the host loads plugins.yaml"))
        }
        return loader
    }
}

extension KeyedDecodingContainer {
    /// Decodes the literature file named by the string at `key`; nil when the key is absent, null or empty.
    public func decodeLiterature<T: Decodable>(_ type: T.Type, fileForKey key: Key) throws -> T? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let path = try decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { return nil }
        return try superDecoder(forKey: key).literature(type, file: path)
    }

    /// The text of the file named by the string at `key`; nil when the key is absent, null or empty.
    public func decodeLiteratureText(fileForKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        let path = try decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty else { return nil }
        return try superDecoder(forKey: key).literatureText(file: path)
    }
}
