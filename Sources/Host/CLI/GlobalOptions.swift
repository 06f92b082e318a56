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
    func loadConfiguration(_ environment: HostEnvironment) throws -> LoadedConfiguration {
        let path = configPath(environment)
        do {
            return try ConfigurationLoader.load(
                path: path, environment: ProcessInfo.processInfo.environment, available: availablePlugins)
        } catch {
            for problem in error.problems { Terminal.problem("\(problem)") }
            throw ExitCode.failure
        }
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
