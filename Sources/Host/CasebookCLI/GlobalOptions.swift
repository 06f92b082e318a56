import ArgumentParser
import CasebookHost
import CasebookKit
import Foundation

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @ArgumentParser.Option(name: .long, help: "Path of plugins.yaml (default: $CASEBOOK_CONFIG, else plugins.yaml).")
    var config: String?

    /// The process environment, validated; a bad variable ends the program with one line.
    func environment() throws -> HostEnvironment {
        do {
            return try HostEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            throw Failure(error.description)
        }
    }

    func configPath(_ environment: HostEnvironment) -> String {
        config ?? environment.configPath ?? "plugins.yaml"
    }

    /// Loads plugins.yaml; every problem is printed, then the program exits 1.
    /// - Parameter placeholders: fill `${VAR}`s that are not set with a visible placeholder instead
    ///   of failing — for commands that only need to know which plugins are enabled (`manifest`).
    func loadConfiguration(_ environment: HostEnvironment, placeholders: Bool = false) throws -> LoadedConfiguration {
        let path = configPath(environment)
        var variables = ProcessInfo.processInfo.environment
        if placeholders, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            for name in Self.referencedVariables(in: text) where variables[name] == nil {
                variables[name] = "unset-\(name)"
            }
        }
        do {
            return try ConfigurationLoader.load(path: path, environment: variables, available: availablePlugins)
        } catch {
            for problem in error.problems { Terminal.problem("\(problem)") }
            throw ExitCode.failure
        }
    }
}

extension GlobalOptions {
    /// Names used as `${NAME}` or `${NAME:-default}` in configuration text.
    /// Variables the file needs: `${NAME}`, not `${NAME:-default}` (its default already answers,
    /// and an `enabled: auto` integration must stay off when its variable is not set).
    static func referencedVariables(in text: String) -> Set<String> {
        var names = Set<String>()
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            let tail = rest[start.upperBound...]
            let name = tail.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if !name.isEmpty, !tail.dropFirst(name.count).hasPrefix(":-") { names.insert(String(name)) }
            rest = tail
        }
        return names
    }
}

/// A failure worth one line on standard error and exit code 1.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Plain output for people: results on standard output, problems on standard error.
enum Terminal {
    static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("casebook: " + line + "\n").utf8))
    }

    /// A problem located in a file, printed as `file:line:column: …` at the start of the line, the
    /// way compilers do, so editors and CI annotators can jump to it.
    static func problem(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into one line and exit code 1 (never a backtrace).
    func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.error("\(error)")
            throw ExitCode.failure
        }
    }
}
