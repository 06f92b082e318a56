import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookSandbox
import Foundation

/// The whole product against the built-in Slack simulator: no credentials, no network.
struct Playground: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Casebook against a built-in Slack simulator and type commands as its users.",
        discussion: "Works interactively or with commands piped on standard input (one per line).")

    @OptionGroup var global: GlobalOptions

    /// Values the default plugins.yaml reads from the environment, pointed at the seeded workspace.
    static let workspaceDefaults = [
        "ISSUES_CHANNEL_ID": "C0INCIDENTS",
        "INCIDENT_RESPONSE_GROUP_ID": "S0RESPONDERS",
        "DIGEST_CHANNEL_ID": "C0INCIDENTS",
        "REACT_TO_OPEN_EMOJI": "rotating_light",
        "CASEBOOK_HOME_TAB": "true",
        "CASEBOOK_ALLOW_PRIVATE": "true",
    ]

    func run() async throws {
        try await reportingFailures {
            let environment = try global.environment()
            let path = global.configPath(environment)
            let yaml: String
            do {
                yaml = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw Failure("cannot read \(path): pass --config with the path of plugins.yaml")
            }
            let variables = Self.workspaceDefaults.merging(PlaygroundIntegrations.environment) { first, _ in first }
                .merging(ProcessInfo.processInfo.environment) { _, real in real }
            let fakes = PlaygroundIntegrations.fakes()
            // Quiet by default so the console stays readable; LOG_LEVEL turns the host's logs on (stderr).
            let logLevel: Logger.Level = ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil ? .error : environment.logLevel
            let interactive = InputLines.isInteractive
            let output: @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }
            try await SandboxHost.withRunning(
                plugins: availablePlugins, config: yaml, environment: variables, logLevel: logLevel, realTime: true, fakes: fakes
            ) { host in
                var console = PlaygroundConsole(host: host, fakes: fakes, write: output)
                output("Casebook playground — a simulated Slack workspace with #general, #incidents and #alerts.")
                output("You are @alice in #general. :help lists the console commands; /case help lists Casebook's.")
                let integrations = fakes.map(\.pluginID).filter { id in host.isEnabled(id) }
                if !integrations.isEmpty {
                    output("Integrations run against built-in fakes: \(integrations.joined(separator: ", ")) (:calls shows what they received).")
                }
                if interactive { FileHandle.standardOutput.write(Data("> ".utf8)) }
                for await line in InputLines.stream() {
                    if !interactive { output("> \(line)") }
                    guard await console.run(line) else { break }
                    if interactive { FileHandle.standardOutput.write(Data("> ".utf8)) }
                }
                output("bye")
            }
        }
    }
}
