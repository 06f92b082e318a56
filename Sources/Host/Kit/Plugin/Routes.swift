/// The handlers a plugin registers, collected at start-up (the plugin's `RouteCollection`).
///
/// Handlers receive the plugin value, the invocation and a ``PluginContext``. The host erases the
/// plugin type when it mounts the routes; duplicates across plugins are a start-up error.
public struct Routes<P: Plugin>: Sendable {
    public typealias Handler<Input, Output> = @Sendable (P, Input, PluginContext) async throws -> Output

    public private(set) var commands: [CommandRoute<P>] = []
    public private(set) var shortcuts: [ShortcutRoute<P>] = []
    public private(set) var blockActions: [BlockActionRoute<P>] = []
    public private(set) var viewSubmissions: [ViewSubmissionRoute<P>] = []
    public private(set) var viewClosures: [ViewClosedRoute<P>] = []
    public private(set) var events: [EventRoute<P>] = []
    public private(set) var webhooks: [WebhookRoute<P>] = []
    public private(set) var jobs: [JobRoute<P>] = []
    public private(set) var recurringJobs: [RecurringJobRoute<P>] = []
    public private(set) var subscriptions: [SubscriptionRoute<P>] = []
    public private(set) var contributions: [ContributionRoute<P>] = []

    public init() {}

    /// A slash subcommand: `/case <name> <arguments>`.
    /// - Parameters:
    ///   - usage: the arguments, shown in help and usage lines (`<description>`).
    ///   - help: one sentence for `/case help`.
    public mutating func command(
        _ name: String, usage: String = "", help: String, _ handler: @escaping Handler<SlashCommand, Reply>
    ) {
        commands.append(CommandRoute(name: name.lowercased(), usage: usage, help: help, handler: handler))
    }

    /// A message shortcut (the "⋯ More actions" menu on a message).
    public mutating func messageShortcut(
        _ callbackID: String, name: String, description: String, _ handler: @escaping Handler<Shortcut, Reply>
    ) {
        shortcuts.append(ShortcutRoute(callbackID: callbackID, kind: .message, name: name, description: description, handler: handler))
    }

    /// A global shortcut (the ⚡ menu).
    public mutating func globalShortcut(
        _ callbackID: String, name: String, description: String, _ handler: @escaping Handler<Shortcut, Reply>
    ) {
        shortcuts.append(ShortcutRoute(callbackID: callbackID, kind: .global, name: name, description: description, handler: handler))
    }

    /// A button or select with this `action_id`.
    public mutating func blockAction(_ actionID: String, _ handler: @escaping Handler<BlockAction, Reply>) {
        blockActions.append(BlockActionRoute(actionID: actionID, handler: handler))
    }

    /// Submission of a modal opened with this `callback_id`.
    public mutating func viewSubmission(_ callbackID: String, _ handler: @escaping Handler<ViewSubmission, Reply>) {
        viewSubmissions.append(ViewSubmissionRoute(callbackID: callbackID, handler: handler))
    }

    /// A modal with this `callback_id` was closed (needs `notifyOnClose`).
    public mutating func viewClosed(_ callbackID: String, _ handler: @escaping Handler<ViewSubmission, Void>) {
        viewClosures.append(ViewClosedRoute(callbackID: callbackID, handler: handler))
    }

    /// An Events API event type; declare it in ``Requirements/events`` too.
    public mutating func event(_ type: String, _ handler: @escaping Handler<SlackEvent, Void>) {
        events.append(EventRoute(type: type, handler: handler))
    }

    /// An HTTP endpoint at `/hooks/<plugin-id>/<path>`.
    public mutating func webhook(
        _ method: WebhookRequest.Method, _ path: String, _ handler: @escaping Handler<WebhookRequest, WebhookResponse>
    ) {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        webhooks.append(WebhookRoute(method: method, path: trimmed, handler: handler))
    }

    /// A durable job handler. Jobs are retried with backoff, so handlers must be idempotent.
    public mutating func job<Payload: Codable & Sendable>(_ key: JobKey<Payload>, _ handler: @escaping Handler<Payload, Void>) {
        jobs.append(JobRoute(name: key.name) { plugin, payload, context in
            try await handler(plugin, try payload.decode(as: Payload.self), context)
        })
    }

    /// A durable job that fires once per `interval` across all replicas.
    public mutating func every(_ interval: Duration, _ name: String, _ handler: @escaping Handler<Date, Void>) {
        recurringJobs.append(RecurringJobRoute(name: name, interval: interval, handler: handler))
    }

    mutating func appendContribution(_ route: ContributionRoute<P>) {
        contributions.append(route)
    }

    /// A domain event published by this or another plugin; delivered at least once, as a job.
    public mutating func subscribe<Event: DomainEvent>(_ type: Event.Type, _ handler: @escaping Handler<Event, Void>) {
        subscriptions.append(SubscriptionRoute(eventName: Event.name) { plugin, payload, context in
            try await handler(plugin, try payload.decode(as: Event.self), context)
        })
    }
}

public struct CommandRoute<P: Plugin>: Sendable {
    public let name: String
    public let usage: String
    public let help: String
    public let handler: Routes<P>.Handler<SlashCommand, Reply>
}

public struct ShortcutRoute<P: Plugin>: Sendable {
    public enum Kind: String, Sendable { case message, global }
    public let callbackID: String
    public let kind: Kind
    public let name: String
    public let description: String
    public let handler: Routes<P>.Handler<Shortcut, Reply>
}

public struct BlockActionRoute<P: Plugin>: Sendable {
    public let actionID: String
    public let handler: Routes<P>.Handler<BlockAction, Reply>
}

public struct ViewSubmissionRoute<P: Plugin>: Sendable {
    public let callbackID: String
    public let handler: Routes<P>.Handler<ViewSubmission, Reply>
}

public struct ViewClosedRoute<P: Plugin>: Sendable {
    public let callbackID: String
    public let handler: Routes<P>.Handler<ViewSubmission, Void>
}

public struct EventRoute<P: Plugin>: Sendable {
    public let type: String
    public let handler: Routes<P>.Handler<SlackEvent, Void>
}

public struct WebhookRoute<P: Plugin>: Sendable {
    public let method: WebhookRequest.Method
    public let path: String
    public let handler: Routes<P>.Handler<WebhookRequest, WebhookResponse>
}

public struct JobRoute<P: Plugin>: Sendable {
    public let name: String
    public let handler: Routes<P>.Handler<JSONValue, Void>
}

public struct RecurringJobRoute<P: Plugin>: Sendable {
    public let name: String
    public let interval: Duration
    public let handler: Routes<P>.Handler<Date, Void>
}

public struct SubscriptionRoute<P: Plugin>: Sendable {
    public let eventName: String
    public let handler: Routes<P>.Handler<JSONValue, Void>
}
