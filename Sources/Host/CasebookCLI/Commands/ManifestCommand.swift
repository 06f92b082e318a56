import ArgumentParser
import CasebookHost
import CasebookKit

/// Prints the Slack app manifest of the enabled plugins.
struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest", abstract: "Print the Slack app manifest of the enabled plugins (paste it into api.slack.com/apps).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var global: GlobalOptions

    @ArgumentParser.Option(help: "Output format: yaml or json.")
    var format: Format = .yaml

    @ArgumentParser.Option(help: "Public base URL for HTTP mode (e.g. https://casebook.example.com); without it, Socket Mode.")
    var requestURL: String?

    func run() async throws {
        try await reportingFailures {
            let environment = try global.environment()
            // The manifest depends on which plugins are enabled, not on channel ids: unset variables are fine.
            let configuration = try global.loadConfiguration(environment, placeholders: true)
            var logger = Logger(label: "casebook")
            logger.logLevel = .error
            let registry = try await OfflineRegistry.mount(configuration, logger: logger)
            let input = CasebookApp.manifestInput(configuration: configuration, registry: registry)
            let mode: ManifestMode = requestURL.map { .http(baseURL: $0) } ?? .socketMode
            switch format {
            case .yaml: Terminal.print(try ManifestRenderer.yaml(input, mode: mode))
            case .json: Terminal.print(ManifestRenderer.json(try ManifestRenderer.render(input, mode: mode)))
            }
        }
    }
}
