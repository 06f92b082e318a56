import CasebookKit
import Synchronization

/// Creates every enabled plugin with its own context and mounts its routes, in dependency order.
///
/// Plugin initialisers must not call Slack or other services (the manifest and `check-config`
/// mount plugins offline); anything that needs I/O belongs in a handler, a job or a service.
public struct PluginMounting: Sendable {
    /// Builds the Slack client a plugin gets, bound to its declared scopes.
    public typealias SlackFactory = @Sendable (_ pluginID: String, _ scopes: Set<String>) -> any SlackAPI

    public var slashCommand: String
    public var installation: Installation
    public var clock: any WallClock
    public var logger: Logger
    public var slack: SlackFactory
    /// Outbound HTTP for integrations, shared by every plugin (each request names its integration).
    public var http: any OutboundHTTP
    /// Where plugins' metrics go (the host's Prometheus registry).
    public var metrics: any MetricsFactory

    public init(
        slashCommand: String, installation: Installation, clock: any WallClock, logger: Logger,
        http: any OutboundHTTP = OfflineHTTP(), metrics: (any MetricsFactory)? = nil, slack: @escaping SlackFactory
    ) {
        self.metrics = metrics ?? MetricsSystem.factory
        self.slashCommand = slashCommand
        self.installation = installation
        self.clock = clock
        self.logger = logger
        self.http = http
        self.slack = slack
    }

    /// Mounts `plugins` against `stores`, returning the registry (conflicts are a ``RegistryError``).
    public func mount(_ plugins: [LoadedPlugin], stores: some PluginStores) async throws -> PluginRegistry {
        let contributions = Mutex<[String: [ExtensionPoints.Contributor]]>([:])
        let extensions = ExtensionPoints { name in contributions.withLock { $0[name] ?? [] } }
        var mounted: [MountedPlugin] = []
        for loaded in plugins {
            let id = loaded.id
            var pluginLogger = logger
            pluginLogger[metadataKey: "plugin"] = "\(id)"
            let context = PluginContext(
                pluginID: id, slashCommand: slashCommand, installation: installation,
                slack: slack(id, loaded.type.configuredRequirements(loaded.configuration).scopes), logger: pluginLogger, clock: clock,
                storage: stores.storage(plugin: id), jobs: stores.jobs(plugin: id), events: stores.events(plugin: id),
                audit: stores.audit(plugin: id), extensions: extensions, http: http, approvals: stores.approvals(plugin: id),
                metrics: PluginMetrics(pluginID: id, factory: metrics))
            mounted.append(try await loaded.type.mount(configuration: loaded.configuration, context: context))
        }
        let registry = try PluginRegistry(plugins: mounted)
        contributions.withLock { table in
            for contribution in registry.routes(of: .contribution) {
                table[contribution.id, default: []].append(ExtensionPoints.Contributor(plugin: contribution.plugin) { input in
                    try await contribution(input)
                })
            }
        }
        return registry
    }
}

/// Where plugins' storage, jobs, events and audit handles come from (the database, in the host).
public protocol PluginStores: Sendable {
    func storage(plugin: String) -> any PluginStorage
    func jobs(plugin: String) -> any JobScheduling
    func events(plugin: String) -> any EventPublishing
    func audit(plugin: String) -> any AuditRecording & AuditReading
    func approvals(plugin: String) -> any ApprovalGate
}

extension Plugin {
    /// ``Plugin/requirements(for:)`` for a configuration the loader decoded.
    static func configuredRequirements(_ configuration: any Sendable) -> Requirements {
        (configuration as? Configuration).map { requirements(for: $0) } ?? requirements
    }

    /// Opens the existential: `configuration` is this plugin's `Configuration`, decoded by the loader.
    static func mount(configuration: any Sendable, context: PluginContext) async throws -> MountedPlugin {
        guard let typed = configuration as? Configuration else {
            throw RegistryError(problems: ["plugin '\(id)' got a configuration of type \(type(of: configuration)), expected \(Configuration.self)"])
        }
        return try await MountedPlugin.mount(Self.self, configuration: typed, context: context)
    }
}
