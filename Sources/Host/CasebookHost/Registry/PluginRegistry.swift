import CasebookKit

/// The enabled plugins, mounted, with one route table keyed by kind and id. Building it checks
/// that no two plugins claim the same subcommand, callback id, action id, webhook or job.
public struct PluginRegistry: Sendable {
    public let plugins: [MountedPlugin]
    /// Every route by its key; kinds that fan out (events, subscriptions, extension points) keep
    /// all of theirs, in plugin then registration order, every other key holds exactly one.
    let table: [RouteKey: [MountedRoute]]

    /// Subcommands the host answers itself.
    public static let reservedSubcommands: Set<String> = ["help"]

    public init(plugins: [MountedPlugin]) throws(RegistryError) {
        self.plugins = plugins
        var conflicts: [String] = []
        var table: [RouteKey: [MountedRoute]] = [:]
        for route in plugins.flatMap(\.routes) {
            let key = route.key
            if let label = route.kind.conflictLabel, let first = table[key]?.first {
                conflicts.append("\(label) '\(key)' is registered by both '\(first.plugin)' and '\(route.plugin)'")
                continue
            }
            if route.kind == .command && Self.reservedSubcommands.contains(route.id) {
                conflicts.append("subcommand '\(route.id)' is reserved by the host (plugin '\(route.plugin)')")
            }
            table[key, default: []].append(route)
        }
        if !conflicts.isEmpty { throw RegistryError(problems: conflicts) }
        self.table = table
    }

    public func plugin(_ id: String) -> MountedPlugin? { plugins.first { $0.id == id } }

    /// The routes for a kind and id (one lookup); `plugin` names the owner for plugin-scoped kinds.
    public func routes(_ kind: RouteKind, _ id: String, plugin: String? = nil) -> [MountedRoute] {
        table[RouteKey(kind: kind, id: id, plugin: kind.isPluginScoped ? plugin : nil)] ?? []
    }

    /// The one route for a kind and id, for kinds that do not fan out.
    public func route(_ kind: RouteKind, _ id: String, plugin: String? = nil) -> MountedRoute? {
        routes(kind, id, plugin: plugin).first
    }

    public func command(_ name: String) -> MountedRoute? { route(.command, name) }

    /// Every route of a kind, in plugin order then registration order.
    public func routes(of kind: RouteKind) -> [MountedRoute] { plugins.flatMap { $0.routes(kind) } }

    /// Every subcommand, in plugin order then registration order, for help and the manifest.
    public var allCommands: [MountedRoute] { routes(of: .command) }

    public var allScopes: Set<String> { plugins.reduce(into: []) { $0.formUnion($1.requirements.scopes) } }
    public var allEvents: Set<String> { plugins.reduce(into: []) { $0.formUnion($1.requirements.events) } }
    /// Whether an enabled plugin publishes the app's Home tab.
    public var hasHomeTab: Bool { plugins.contains { $0.requirements.homeTab } }

    /// Plugins subscribed to each domain event name, each once: one delivery runs every handler a
    /// plugin registered for the event, so a second handler must not add a second delivery.
    public var subscribers: [String: [String]] {
        routes(of: .subscription).reduce(into: [:]) { table, route in
            if !table[route.id, default: []].contains(route.plugin) { table[route.id, default: []].append(route.plugin) }
        }
    }

    /// The help text of the slash command: one line per subcommand with its usage.
    public func help(slashCommand: String) -> String {
        var lines = ["*\(slashCommand)* — what you can do:"]
        for command in allCommands {
            guard case .command(let usage, let help) = command.metadata else { continue }
            lines.append("• `\(slashCommand) \(command.id)\(usage.isEmpty ? "" : " \(usage)")` — \(help)")
        }
        lines.append("• `\(slashCommand) help` — this list")
        return lines.joined(separator: "\n")
    }
}

/// Two plugins claim the same route, or a plugin claims a reserved one.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public let problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
