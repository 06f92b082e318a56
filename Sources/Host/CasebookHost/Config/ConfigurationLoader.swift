import CasebookKit
import Yams

/// Reads `plugins.yaml`:
///
/// ```yaml
/// host: { slash_command: /case }           # see HostConfiguration for every key and default
/// plugins:
///   cases:
///     enabled: true                         # required, true or false
///     config:                               # the plugin's Configuration; optional when it has no required keys
///       notifications_channel: ${ISSUES_CHANNEL_ID}
/// ```
///
/// Everything wrong is collected before anything is thrown, so one run of `casebook check-config`
/// lists every problem with its file, line, column and key path. Plugins not listed are disabled;
/// a disabled plugin's `config` is not read (its `${VAR}`s need not be set).
public enum ConfigurationLoader {
    /// Loads the file at `path`; a missing or unreadable file is a single problem naming the path.
    public static func load(
        path: String, environment: [String: String], available: [any Plugin.Type], overrides: [String: [String: String]] = [:]
    ) throws(ConfigurationErrors) -> LoadedConfiguration {
        let yaml: String
        do {
            yaml = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let message = FileManager.default.fileExists(atPath: path)
                ? "cannot read the configuration file: \(error.localizedDescription)"
                : "configuration file not found (pass --config or create \(path))"
            throw ConfigurationErrors(problems: [
                ConfigProblem(file: path, line: 0, column: 0, keyPath: "", message: message)
            ])
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try load(yaml: yaml, file: path, environment: environment, available: available, baseDirectory: directory, overrides: overrides)
    }

    /// Loads configuration text; `file` is only used to name the source in problems.
    /// - Parameter baseDirectory: where relative literature paths (`severities_file`) start; the
    ///   working directory when nil. ``load(path:environment:available:)`` passes the file's directory.
    /// - Parameter overrides: plugin id → config key → value, set over what the file says (the test
    ///   harness and the playground point integrations' base URLs at their fake services this way).
    public static func load(
        yaml: String, file: String = "plugins.yaml", environment: [String: String], available: [any Plugin.Type],
        baseDirectory: String? = nil, overrides: [String: [String: String]] = [:]
    ) throws(ConfigurationErrors) -> LoadedConfiguration {
        var loader = DocumentLoader(
            environment: environment, available: available,
            literature: YAMLLiterature(baseDirectory: baseDirectory, environment: environment))
        loader.overrides = overrides
        let root: Node
        do {
            root = try YAMLBounds.compose(yaml) ?? emptyMapping
        } catch {
            throw ConfigurationErrors(problems: [syntaxProblem(error).problem(in: file)])
        }
        let loaded = loader.load(root)
        guard loader.problems.isEmpty, let loaded else {
            throw ConfigurationErrors(problems: sorted(loader.problems).map { $0.problem(in: file) })
        }
        return LoadedConfiguration(
            host: loaded.host, plugins: loaded.plugins, disabled: loaded.disabled,
            warnings: sorted(loader.warnings).map { $0.problem(in: file) }, offReasons: loaded.offReasons)
    }

    /// Decodes one plugin's configuration from YAML text with the same rules as `plugins.yaml`
    /// (snake_case keys, interpolation, unknown keys are errors). For test harnesses and tools.
    public static func decodeConfiguration<P: Plugin>(
        of type: P.Type, yaml: String, file: String = "config", environment: [String: String] = [:]
    ) throws(ConfigurationErrors) -> P.Configuration {
        let root: Node
        do {
            root = try YAMLBounds.compose(yaml) ?? emptyMapping
        } catch {
            throw ConfigurationErrors(problems: [syntaxProblem(error).problem(in: file)])
        }
        let node = root.scalar.map { ScalarKind(text: $0.string, plain: $0.isPlain) == .null } == true ? emptyMapping : root
        let outcome = SectionDecoder.decode(
            P.Configuration.self, from: node, at: ConfigPath(), fallback: SourcePosition(line: 1, column: 1),
            environment: environment, literature: YAMLLiterature(baseDirectory: nil, environment: environment))
        guard outcome.problems.isEmpty, let value = outcome.value else {
            throw ConfigurationErrors(problems: sorted(outcome.problems).map { $0.problem(in: file) })
        }
        return value
    }

    static var emptyMapping: Node { .mapping(Node.Mapping([(Node, Node)]())) }

    private static func sorted(_ problems: [LocatedProblem]) -> [LocatedProblem] {
        problems.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.position.line, lhs.element.position.column, lhs.offset)
            let right = (rhs.element.position.line, rhs.element.position.column, rhs.offset)
            return left < right
        }.map(\.element)
    }

    /// A YAML syntax error at the place libyaml reports.
    static func syntaxProblem(_ error: any Error) -> LocatedProblem {
        func located(_ mark: Mark, _ message: String) -> LocatedProblem {
            LocatedProblem(position: SourcePosition(mark), path: ConfigPath(), message: message)
        }
        if let exceeded = error as? YAMLBounds.Exceeded {
            return LocatedProblem(
                position: SourcePosition(line: exceeded.line, column: exceeded.column), path: ConfigPath(), message: "invalid YAML: \(exceeded.message)")
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
            }
            return located(mark, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return located(context.mark, "invalid YAML: duplicate key \(keys) in one mapping")
        case .reader(let problem, let offset, _, let yaml):
            var position = SourcePosition.unknown
            if let offset, offset <= yaml.count {
                let before = yaml.prefix(offset)
                let line = before.count(where: { $0 == "\n" }) + 1
                let column = before.reversed().prefix(while: { $0 != "\n" }).count + 1
                position = SourcePosition(line: line, column: column)
            }
            return LocatedProblem(position: position, path: ConfigPath(), message: "invalid YAML: \(problem)")
        default:
            // Other errors carry the place only in their text, as "LINE:COLUMN: error: …".
            let text = String(describing: error)
            let parts = text.split(separator: ":", maxSplits: 2)
            if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
                let message = parts[2].trimmingCharacters(in: .whitespaces)
                return LocatedProblem(position: SourcePosition(line: line, column: column), path: ConfigPath(),
                                      message: "invalid YAML: \(message.split(separator: "\n").first.map(String.init) ?? message)")
            }
            return LocatedProblem(position: .unknown, path: ConfigPath(), message: "invalid YAML: \(text)")
        }
    }
}
