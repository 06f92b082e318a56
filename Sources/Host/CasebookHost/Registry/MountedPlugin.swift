import CasebookKit

/// A plugin instance with its routes, the plugin type erased: what the registry, the dispatcher,
/// the job runner and the manifest work from.
public struct MountedPlugin: Sendable {
    public let id: String
    public let summary: String
    public let requirements: Requirements
    public let migrations: [Migration]
    public let context: PluginContext
    public let services: [any Service]
    /// In registration order.
    public let routes: [MountedRoute]

    /// Instantiates `P` with its configuration and collects its routes.
    public static func mount<P: Plugin>(_ type: P.Type, configuration: P.Configuration, context: PluginContext) async throws -> MountedPlugin {
        let plugin = try await P(configuration: configuration, context: context)
        var routes = Routes<P>()
        plugin.register(&routes)
        return MountedPlugin(
            id: P.id, summary: P.summary, requirements: P.requirements(for: configuration), migrations: P.migrations,
            context: context, services: plugin.services,
            routes: routes.all.map { route in
                MountedRoute(plugin: P.id, kind: route.kind, id: route.id, metadata: route.metadata, context: context) { input, context in
                    try await route.run(plugin, input, context)
                }
            })
    }

    /// This plugin's routes of one kind, in registration order.
    public func routes(_ kind: RouteKind) -> [MountedRoute] { routes.filter { $0.kind == kind } }
}

/// One route of a mounted plugin, bound to the plugin instance and its context.
public struct MountedRoute: Sendable {
    public let plugin: String
    public let kind: RouteKind
    public let id: String
    public let metadata: RouteMetadata
    /// The plugin's context, which every invocation's context starts from.
    public let context: PluginContext
    let body: @Sendable (any Sendable, InvocationContext) async throws -> any Sendable

    /// The key the registry files it under: kinds whose ids are the plugin's own carry its id.
    public var key: RouteKey { RouteKey(kind: kind, id: id, plugin: kind.isPluginScoped ? plugin : nil) }

    /// Runs the plugin's middleware and handler.
    public func callAsFunction(_ input: any Sendable, _ context: InvocationContext) async throws -> any Sendable {
        try await body(input, context)
    }

    /// Runs it outside any Slack invocation (jobs, subscriptions, extension points).
    public func callAsFunction(_ input: any Sendable) async throws -> any Sendable {
        try await body(input, InvocationContext(plugin: context))
    }
}

/// Where the registry files a route: kind and id, qualified by the plugin for plugin-scoped kinds.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible {
    public let kind: RouteKind
    public let id: String
    public let plugin: String?

    public init(kind: RouteKind, id: String, plugin: String? = nil) {
        self.kind = kind
        self.id = id
        self.plugin = plugin
    }

    /// How conflicts name it: `echo`, `pagerduty.trigger`, `alerts/POST grafana`.
    public var description: String {
        guard let plugin else { return id }
        return kind == .webhook ? "\(plugin)/\(id)" : "\(plugin).\(id)"
    }
}
