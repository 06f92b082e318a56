import CasebookKit

/// `plugins.yaml` after loading: the host settings and the enabled plugins with their typed
/// configuration, ready to be instantiated.
public struct LoadedConfiguration: Sendable {
    public var host: HostConfiguration
    /// Enabled plugins, each after the plugins it depends on (ties keep the order of `available`).
    public var plugins: [LoadedPlugin]
    /// Ids of available plugins that are not enabled (set to `enabled: false` or not listed), sorted.
    public var disabled: [String]
    /// Not wrong, but worth printing in `check-config` (an available plugin missing from the file).
    public var warnings: [ConfigProblem]
    /// Why each disabled plugin is off, by id: "enabled: false", "not listed", or for an
    /// `enabled: auto` plugin the first required key that is empty.
    public var offReasons: [String: String]

    public init(
        host: HostConfiguration, plugins: [LoadedPlugin], disabled: [String], warnings: [ConfigProblem], offReasons: [String: String] = [:]
    ) {
        self.host = host
        self.plugins = plugins
        self.disabled = disabled
        self.warnings = warnings
        self.offReasons = offReasons
    }

    /// One line per available plugin, for `check-config` and the start-up log:
    /// `pagerduty: off (auto: plugins.pagerduty.config.routing_key is empty)`.
    public var pluginStates: [String] {
        plugins.map { "\($0.id): on" } + disabled.map { "\($0): off (\(offReasons[$0] ?? "disabled"))" }
    }
}

/// An enabled plugin type and its decoded configuration.
public struct LoadedPlugin: Sendable {
    public let type: any Plugin.Type
    /// A value of `type.Configuration`; ``PluginMounting`` hands it to the plugin typed.
    public let configuration: any Sendable

    public init(type: any Plugin.Type, configuration: any Sendable) {
        self.type = type
        self.configuration = configuration
    }

    public var id: String { type.id }
}
