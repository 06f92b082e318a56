import CasebookKit

/// A plugin instance with its routes, the plugin type erased: what the dispatcher, the job runner and
/// the manifest work from.
public struct MountedPlugin: Sendable {
    public typealias Handler<Input, Output> = @Sendable (Input, PluginContext) async throws -> Output

    public struct Command: Sendable {
        public let plugin: String
        public let name: String
        public let usage: String
        public let help: String
        public let handler: Handler<SlashCommand, Reply>
    }

    public struct ShortcutEntry: Sendable {
        public let callbackID: String
        public let kind: String
        public let name: String
        public let description: String
        public let handler: Handler<Shortcut, Reply>
    }

    public struct Keyed<Input: Sendable, Output: Sendable>: Sendable {
        public let key: String
        public let handler: Handler<Input, Output>
    }

    public struct Recurring: Sendable {
        public let name: String
        public let interval: Duration
        public let handler: Handler<Date, Void>
    }

    public struct WebhookEntry: Sendable {
        public let method: WebhookRequest.Method
        public let path: String
        public let handler: Handler<WebhookRequest, WebhookResponse>
    }

    public let id: String
    public let summary: String
    public let requirements: Requirements
    public let migrations: [Migration]
    public let context: PluginContext
    public let services: [any Service]
    public let commands: [Command]
    public let shortcuts: [ShortcutEntry]
    public let blockActions: [Keyed<BlockAction, Reply>]
    public let viewSubmissions: [Keyed<ViewSubmission, Reply>]
    public let viewClosures: [Keyed<ViewSubmission, Void>]
    public let events: [Keyed<SlackEvent, Void>]
    public let webhooks: [WebhookEntry]
    public let jobs: [Keyed<JSONValue, Void>]
    public let recurringJobs: [Recurring]
    public let subscriptions: [Keyed<JSONValue, Void>]
    public let contributions: [Keyed<any Sendable, any Sendable>]

    /// Instantiates `P` with its configuration and collects its routes.
    public static func mount<P: Plugin>(_ type: P.Type, configuration: P.Configuration, context: PluginContext) async throws -> MountedPlugin {
        let plugin = try await P(configuration: configuration, context: context)
        var routes = Routes<P>()
        plugin.register(&routes)
        func bind<I, O>(_ handler: @escaping Routes<P>.Handler<I, O>) -> Handler<I, O> {
            { input, context in try await handler(plugin, input, context) }
        }
        return MountedPlugin(
            id: P.id, summary: P.summary, requirements: P.requirements(for: configuration), migrations: P.migrations,
            context: context, services: plugin.services,
            commands: routes.commands.map { Command(plugin: P.id, name: $0.name, usage: $0.usage, help: $0.help, handler: bind($0.handler)) },
            shortcuts: routes.shortcuts.map {
                ShortcutEntry(callbackID: $0.callbackID, kind: $0.kind.rawValue, name: $0.name, description: $0.description, handler: bind($0.handler))
            },
            blockActions: routes.blockActions.map { Keyed(key: $0.actionID, handler: bind($0.handler)) },
            viewSubmissions: routes.viewSubmissions.map { Keyed(key: $0.callbackID, handler: bind($0.handler)) },
            viewClosures: routes.viewClosures.map { Keyed(key: $0.callbackID, handler: bind($0.handler)) },
            events: routes.events.map { Keyed(key: $0.type, handler: bind($0.handler)) },
            webhooks: routes.webhooks.map { WebhookEntry(method: $0.method, path: $0.path, handler: bind($0.handler)) },
            jobs: routes.jobs.map { Keyed(key: $0.name, handler: bind($0.handler)) },
            recurringJobs: routes.recurringJobs.map { Recurring(name: $0.name, interval: $0.interval, handler: bind($0.handler)) },
            subscriptions: routes.subscriptions.map { Keyed(key: $0.eventName, handler: bind($0.handler)) },
            contributions: routes.contributions.map { Keyed(key: $0.pointName, handler: bind($0.handler)) }
        )
    }
}
