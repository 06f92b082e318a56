import Foundation
import Yams

/// What the decoders of one section asked for. Standard `Codable` ignores keys nobody reads, which
/// hides typos; the ledger remembers every key asked of each mapping (present or not) so the
/// loader can report the rest as unknown and suggest the closest known key.
final class DecodingLedger {
    private struct Visit {
        var mapping: Node.Mapping
        var asked: Set<String> = []
        /// Read through `allKeys` (a dictionary): every key is wanted.
        var open = false
    }

    let environment: [String: String]
    private var visits: [ConfigPath: Visit] = [:]
    private var order: [ConfigPath] = []
    /// Values `${VAR}` interpolation produced, with what the file wrote: messages show the latter,
    /// since variables are where secrets live.
    private var interpolated: [(value: String, written: String)] = []

    /// Remembers that `written` (containing `${…}`) read as `value`.
    func interpolated(_ value: String, from written: String) {
        guard value != written, value.count >= 3 else { return }
        interpolated.append((value, written))
    }

    /// `message` with every interpolated value replaced by `the value of <what the file wrote>`.
    func redact(_ message: String) -> String {
        var result = message
        for (value, written) in interpolated.sorted(by: { $0.value.count > $1.value.count }) where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "the value of \(written)")
        }
        return result
    }

    init(environment: [String: String]) {
        self.environment = environment
    }

    func visit(_ mapping: Node.Mapping, at path: ConfigPath) {
        guard visits[path] == nil else { return }
        visits[path] = Visit(mapping: mapping)
        order.append(path)
    }

    func ask(_ key: String, at path: ConfigPath) {
        visits[path]?.asked.insert(key)
    }

    func open(at path: ConfigPath) {
        visits[path]?.open = true
    }

    /// Keys present but never asked for.
    ///
    /// When decoding stopped with an error, mappings above the failure were only partly read, so
    /// their unread keys may be legitimate. They are skipped, except that when the failure is a
    /// missing key, a key close to one that was asked for there is reported: it is most likely the
    /// misspelling of the missing key.
    ///
    /// - Parameter fullyRead: mappings whose type asked for every key despite failures (a type that
    ///   collects its own errors, such as the host section).
    func unknownKeys(failures: [(path: ConfigPath, missingKey: Bool)] = [], fullyRead: Set<ConfigPath> = []) -> [LocatedProblem] {
        var problems: [LocatedProblem] = []
        for path in order {
            guard let visit = visits[path], !visit.open else { continue }
            let partlyRead = !fullyRead.contains(path) && failures.contains { path.isPrefix(of: $0.path) }
            if partlyRead, !failures.contains(where: { $0.missingKey && $0.path == path }) { continue }
            for (keyNode, _) in visit.mapping {
                guard let name = keyNode.scalar?.string, !visit.asked.contains(name) else { continue }
                let suggestion = KeySuggestion.closest(to: name, among: visit.asked)
                if partlyRead, suggestion == nil { continue }
                var message = "unknown key '\(name)'"
                if let suggestion {
                    message += ", did you mean '\(suggestion)'?"
                } else if visit.asked.isEmpty {
                    message += "; no keys are expected here"
                } else {
                    message += "; known keys: \(visit.asked.sorted().joined(separator: ", "))"
                }
                problems.append(LocatedProblem(
                    position: SourcePosition(keyNode.mark), path: path.appending(key: name), message: message))
            }
        }
        return problems
    }
}

extension SourcePosition {
    init(_ mark: Mark?, fallback: SourcePosition = .unknown) {
        if let mark {
            self.init(line: mark.line, column: mark.column)
        } else {
            self = fallback
        }
    }
}
