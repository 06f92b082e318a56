/// One thing wrong with `plugins.yaml`, placed so a person can find it:
/// `plugins.yaml:8:19: plugins.roles.config.remind_severities: expected a list, found a string`.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the problem is about the file as a whole (it is missing, for example).
    public var line: Int
    /// 1-based, counted in Unicode scalars; 0 when unknown.
    public var column: Int
    /// Dotted path of the key concerned (`host.rate_limit.per`); empty for the whole document.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line):\(column)" : file
        return keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)"
    }
}

/// Every problem found in one configuration file, in file order, so `check-config` can print them all
/// at once instead of making people fix them one run at a time.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

/// A problem before it is tied to a file name: what the decoder and the loader produce internally.
struct LocatedProblem: Error {
    var position: SourcePosition
    var path: ConfigPath
    var message: String
    /// Set when the problem is in another file than the one being loaded (a literature file).
    var file: String? = nil

    func problem(in file: String) -> ConfigProblem {
        ConfigProblem(
            file: self.file ?? file, line: position.line, column: position.column, keyPath: path.description, message: message)
    }
}
