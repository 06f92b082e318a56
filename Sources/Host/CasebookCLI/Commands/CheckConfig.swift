import ArgumentParser
import CasebookHost
import CasebookKit

/// Validates plugins.yaml without connecting anywhere.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate plugins.yaml; print every problem and exit 1, or exit 0.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await reportingFailures {
            let environment = try global.environment()
            let configuration = try global.loadConfiguration(environment)
            for warning in configuration.warnings { Terminal.error("warning: \(warning)") }
            // Mounting offline also catches two plugins claiming the same command or action.
            var logger = Logger(label: "casebook")
            logger.logLevel = .error
            let registry = try await OfflineRegistry.mount(configuration, logger: logger)
            let path = global.configPath(environment)
            Terminal.print("\(path): OK — \(registry.plugins.count) plugin(s) enabled: \(registry.plugins.map(\.id).joined(separator: ", "))")
            for line in configuration.pluginStates { Terminal.print("  \(line)") }
        }
    }
}
