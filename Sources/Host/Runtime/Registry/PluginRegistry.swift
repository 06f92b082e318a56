import CasebookKit

/// The enabled plugins, mounted, with lookup tables for every kind of route. Building it checks
/// that no two plugins claim the same subcommand, callback id, action id or webhook.
public struct PluginRegistry: Sendable {
    public let plugins: [MountedPlugin]
    let commands: [String: MountedPlugin.Command]
    let shortcuts: [String: (plugin: MountedPlugin, entry: MountedPlugin.ShortcutEntry)]
    let blockActions: [String: (plugin: MountedPlugin, entry: MountedPlugin.Keyed<BlockAction, Reply>)]
    let viewSubmissions: [String: (plugin: MountedPlugin, entry: MountedPlugin.Keyed<ViewSubmission, Reply>)]
    let viewClosures: [String: (plugin: MountedPlugin, entry: MountedPlugin.Keyed<ViewSubmission, Void>)]

    /// Subcommands the host answers itself.
    public static let reservedSubcommands: Set<String> = ["help"]

    public init(plugins: [MountedPlugin]) throws(RegistryError) {
        self.plugins = plugins
        var conflicts: [String] = []
        func index<V>(_ kind: String, _ pairs: [(String, String, V)]) -> [String: V] {
            var table: [String: V] = [:]
            var owner: [String: String] = [:]
            for (key, plugin, value) in pairs {
                if let first = owner[key] {
                    conflicts.append("\(kind) '\(key)' is registered by both '\(first)' and '\(plugin)'")
                } else {
                    owner[key] = plugin
                    table[key] = value
                }
            }
            return table
        }
        commands = index("subcommand", plugins.flatMap { plugin in plugin.commands.map { ($0.name, plugin.id, $0) } })
        for name in commands.keys where Self.reservedSubcommands.contains(name) {
            conflicts.append("subcommand '\(name)' is reserved by the host (plugin '\(commands[name]?.plugin ?? "")')")
        }
        shortcuts = index("shortcut callback id", plugins.flatMap { plugin in plugin.shortcuts.map { ($0.callbackID, plugin.id, (plugin, $0)) } })
        blockActions = index("action id", plugins.flatMap { plugin in plugin.blockActions.map { ($0.key, plugin.id, (plugin, $0)) } })
        viewSubmissions = index("view callback id", plugins.flatMap { plugin in plugin.viewSubmissions.map { ($0.key, plugin.id, (plugin, $0)) } })
        viewClosures = index("view closed callback id", plugins.flatMap { plugin in plugin.viewClosures.map { ($0.key, plugin.id, (plugin, $0)) } })
        _ = index("webhook", plugins.flatMap { plugin in plugin.webhooks.map { ("\(plugin.id)/\($0.method.rawValue) \($0.path)", plugin.id, ()) } })
        _ = index("job", plugins.flatMap { plugin in plugin.jobs.map { ("\(plugin.id).\($0.key)", plugin.id, ()) } })
        if !conflicts.isEmpty { throw RegistryError(problems: conflicts) }
    }

    public func plugin(_ id: String) -> MountedPlugin? { plugins.first { $0.id == id } }

    public func command(_ name: String) -> MountedPlugin.Command? { commands[name] }

    /// Every subcommand, in plugin order then registration order, for help and the manifest.
    public var allCommands: [MountedPlugin.Command] { plugins.flatMap(\.commands) }

    public var allScopes: Set<String> { plugins.reduce(into: []) { $0.formUnion($1.requirements.scopes) } }
    public var allEvents: Set<String> { plugins.reduce(into: []) { $0.formUnion($1.requirements.events) } }
    /// Whether an enabled plugin publishes the app's Home tab.
    public var hasHomeTab: Bool { plugins.contains { $0.requirements.homeTab } }

    /// Plugins subscribed to each domain event name, each once: one delivery runs every handler a
    /// plugin registered for the event, so a second handler must not add a second delivery.
    public var subscribers: [String: [String]] {
        plugins.reduce(into: [:]) { table, plugin in
            for subscription in plugin.subscriptions where !table[subscription.key, default: []].contains(plugin.id) {
                table[subscription.key, default: []].append(plugin.id)
            }
        }
    }

    /// The help text of the slash command: one line per subcommand with its usage.
    public func help(slashCommand: String) -> String {
        var lines = ["*\(slashCommand)* — what you can do:"]
        for command in allCommands {
            let usage = command.usage.isEmpty ? "" : " \(command.usage)"
            lines.append("• `\(slashCommand) \(command.name)\(usage)` — \(command.help)")
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
