import CasebookKit
import Yams

/// The host's ``LiteratureLoading``: literature files are composed with Yams and decoded with the
/// same ``NodeDecoder`` as `plugins.yaml`, so their problems carry the literature file's path, line,
/// column and key path and are reported by `check-config` with the configuration's own problems.
///
/// Relative paths resolve against `baseDirectory` (the directory of `plugins.yaml` when it is read
/// from a file), else the working directory: a configuration keeps working wherever `casebook` is
/// started from. `${VAR}` interpolation applies as in `plugins.yaml` (`$${` for a literal `${`).
struct YAMLLiterature: LiteratureLoading {
    let baseDirectory: String?
    let environment: [String: String]

    func decode<T: Decodable>(_ type: T.Type, file path: String, referencedBy reference: any Decoder) throws -> T {
        let (resolved, text) = try read(path, referencedBy: reference)
        let referencePath = (reference as? NodeDecoder)?.path ?? ConfigPath()
        return try decode(type, text: text, file: resolved, reference: referencePath)
    }

    func text(file path: String, referencedBy reference: any Decoder) throws -> String {
        try read(path, referencedBy: reference).text
    }

    /// The file's resolved path and text; a missing or unreadable file is a problem at the key that names it.
    private func read(_ path: String, referencedBy reference: any Decoder) throws -> (resolved: String, text: String) {
        let resolved = resolve(path)
        do {
            return (resolved, try String(contentsOfFile: resolved, encoding: .utf8))
        } catch {
            let reason = FileManager.default.fileExists(atPath: resolved) ? "cannot be read" : "does not exist"
            let where_ = resolved == path ? "" : " (resolved to \(resolved))"
            let message = "the file '\(path)'\(where_) \(reason)"
            // Placed at the key that names the file, in plugins.yaml.
            if let node = reference as? NodeDecoder { throw node.corrupted(message) }
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: reference.codingPath, debugDescription: message))
        }
    }

    func decode<T: Decodable>(_ type: T.Type, builtIn text: String, name: String) throws -> T {
        try decode(type, text: text, file: name, reference: ConfigPath())
    }

    private func decode<T: Decodable>(_ type: T.Type, text: String, file: String, reference: ConfigPath) throws -> T {
        let root: Node
        do {
            root = try YAMLBounds.compose(text) ?? ConfigurationLoader.emptyMapping
        } catch {
            var problem = ConfigurationLoader.syntaxProblem(error)
            problem.file = file
            throw LiteratureFailure(problems: [problem], reference: reference)
        }
        let outcome = SectionDecoder.decode(
            type, from: root, at: ConfigPath(), fallback: SourcePosition(line: 1, column: 1), environment: environment)
        guard outcome.problems.isEmpty, let value = outcome.value else {
            let problems = outcome.problems.map { problem -> LocatedProblem in
                var inFile = problem
                inFile.file = inFile.file ?? file
                return inFile
            }
            throw LiteratureFailure(problems: problems, reference: reference)
        }
        return value
    }

    func resolve(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        let base = baseDirectory ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL.path
    }
}

/// Problems found inside a literature file, carried out of a plugin's `init(from:)` to
/// ``SectionDecoder``, which reports them as they are (they name their own file).
struct LiteratureFailure: Error {
    var problems: [LocatedProblem]
    /// The key of the configuration that named the file.
    var reference: ConfigPath
}
