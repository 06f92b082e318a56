import CasebookKit
import Yams

/// Decodes one section of `plugins.yaml` (the host section, a plugin entry, a plugin's `config`)
/// and turns every failure, and every key nobody asked for, into located problems.
enum SectionDecoder {
    struct Outcome<Value> {
        var value: Value?
        var problems: [LocatedProblem]
    }

    /// - Parameters:
    ///   - node: the section; an absent section is passed as an empty mapping with `fallback` as its position.
    ///   - path: the section's key path in the file (`plugins.cases.config`).
    ///   - literature: the loader plugin configurations use for their literature files (none inside literature).
    static func decode<Value: Decodable>(
        _ type: Value.Type, from node: Node, at path: ConfigPath, fallback: SourcePosition,
        environment: [String: String], literature: (any LiteratureLoading)? = nil
    ) -> Outcome<Value> {
        let ledger = DecodingLedger(environment: environment)
        var outcome = decode(type, from: node, at: path, fallback: fallback, ledger: ledger, literature: literature)
        // A plugin's own validation message may quote a value; one read from the environment is
        // shown as the variable that holds it.
        for index in outcome.problems.indices {
            outcome.problems[index].message = ledger.redact(outcome.problems[index].message)
        }
        return outcome
    }

    private static func decode<Value: Decodable>(
        _ type: Value.Type, from node: Node, at path: ConfigPath, fallback: SourcePosition, ledger: DecodingLedger,
        literature: (any LiteratureLoading)?
    ) -> Outcome<Value> {
        // The root is checked for unknown keys even when the type never opens it (`NoConfiguration`).
        if case .mapping(let mapping) = node {
            ledger.visit(mapping, at: path)
        }
        let userInfo: [CodingUserInfoKey: Any] = literature.map { [.casebookLiterature: $0] } ?? [:]
        let decoder = NodeDecoder(node: node, path: path, ledger: ledger, fallbackPosition: fallback, userInfo: userInfo)
        do {
            let value = try decoder.decodeValue(type)
            return Outcome(value: value, problems: ledger.unknownKeys())
        } catch let failure as LiteratureFailure {
            // The problems are in the literature file; the section itself was read up to the key naming it.
            return Outcome(value: nil, problems: failure.problems + ledger.unknownKeys(failures: [(failure.reference, false)]))
        } catch let collected as CollectedDecodingErrors {
            let literature = collected.errors.compactMap { $0 as? LiteratureFailure }
            let located = collected.errors.filter { !($0 is LiteratureFailure) }.map { locate($0, in: node, at: path, fallback: fallback) }
                + literature.flatMap { failure in failure.problems.map { (problem: $0, missingKey: false) } }
            let unknown = ledger.unknownKeys(
                failures: located.map { ($0.problem.path, $0.missingKey) }, fullyRead: [path])
            return Outcome(value: nil, problems: located.map(\.problem) + unknown)
        } catch {
            let (problem, missingKey) = locate(error, in: node, at: path, fallback: fallback)
            return Outcome(value: nil, problems: [problem] + ledger.unknownKeys(failures: [(problem.path, missingKey)]))
        }
    }

    /// Places an error thrown while decoding. Errors from ``NodeDecoder`` carry their place; errors
    /// thrown by a type's own `init(from:)` are placed by following their `codingPath` through the nodes.
    static func locate(
        _ error: any Error, in root: Node, at rootPath: ConfigPath, fallback: SourcePosition
    ) -> (problem: LocatedProblem, missingKey: Bool) {
        if let problem = error as? LocatedProblem {
            return (problem, false)
        }
        guard let decodingError = error as? DecodingError else {
            return (LocatedProblem(position: SourcePosition(root.mark, fallback: fallback), path: rootPath,
                                   message: String(describing: error)), false)
        }
        let context: DecodingError.Context
        var message: String?
        var missingKey = false
        switch decodingError {
        case .keyNotFound(let key, let keyContext):
            context = keyContext
            message = "missing required key '\(KeyNaming.snakeCase(key.stringValue))'"
            missingKey = true
        case .typeMismatch(_, let mismatchContext), .valueNotFound(_, let mismatchContext),
            .dataCorrupted(let mismatchContext):
            context = mismatchContext
        @unknown default:
            return (LocatedProblem(position: SourcePosition(root.mark, fallback: fallback), path: rootPath,
                                   message: String(describing: error)), false)
        }
        if let problem = context.underlyingError as? LocatedProblem {
            return (problem, missingKey)
        }
        var node = root
        var path = rootPath
        var position = SourcePosition(root.mark, fallback: fallback)
        for key in context.codingPath {
            if let index = key.intValue, case .sequence(let sequence) = node, sequence.indices.contains(index) {
                node = sequence[index]
                path = path.appending(.index(index))
            } else if case .mapping(let mapping) = node {
                let snake = KeyNaming.snakeCase(key.stringValue)
                guard let name = [snake, key.stringValue].first(where: { mapping.value(named: $0) != nil }),
                    let value = mapping.value(named: name)
                else { break }
                node = value
                path = path.appending(key: name)
            } else {
                break
            }
            position = SourcePosition(node.mark, fallback: position)
        }
        return (LocatedProblem(position: position, path: path, message: message ?? context.debugDescription), missingKey)
    }
}

/// Thrown by a section type that decodes each of its keys on its own and reports every failure,
/// rather than stopping at the first as synthesized `Decodable` does.
struct CollectedDecodingErrors: Error {
    var errors: [any Error]
}
