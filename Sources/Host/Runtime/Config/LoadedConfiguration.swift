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

    public init(host: HostConfiguration, plugins: [LoadedPlugin], disabled: [String], warnings: [ConfigProblem]) {
        self.host = host
        self.plugins = plugins
        self.disabled = disabled
        self.warnings = warnings
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
