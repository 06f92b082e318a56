/// What kind of invocation a route answers. With the route's id it is the key the host looks the
/// route up by; adding a kind of invocation is a case here plus its Kit input type.
public enum RouteKind: String, Sendable, Hashable, CaseIterable {
    case command
    case shortcut
    case blockAction = "block_action"
    case viewSubmission = "view_submission"
    case viewClosed = "view_closed"
    case event
    case webhook
    case job
    case recurringJob = "recurring_job"
    case subscription
    case contribution

    /// How a clash of two routes of this kind reads; nil for kinds every plugin may answer
    /// (events, domain event subscriptions and extension points fan out to all of them).
    public var conflictLabel: String? {
        switch self {
        case .command: "subcommand"
        case .shortcut: "shortcut callback id"
        case .blockAction: "action id"
        case .viewSubmission: "view callback id"
        case .viewClosed: "view closed callback id"
        case .webhook: "webhook"
        case .job: "job"
        case .recurringJob: "recurring job"
        case .event, .subscription, .contribution: nil
        }
    }

    /// Whether the id is the plugin's own (webhook paths, job names, its subscriptions), so the
    /// host qualifies it with the plugin id, rather than one namespace shared by every plugin.
    public var isPluginScoped: Bool {
        switch self {
        case .webhook, .job, .recurringJob, .subscription: true
        default: false
        }
    }

    /// What a route of this kind answers when a middleware refuses the invocation: the user reads
    /// the reason where there is a user, a webhook caller gets 403, and background work stops quietly.
    func refusal(_ reason: String) throws -> any Sendable {
        switch self {
        case .command, .shortcut, .blockAction, .viewSubmission, .contribution: throw UserFacingError(reason)
        case .webhook: return WebhookRejection(status: 403, reason).response
        case .viewClosed, .event, .job, .recurringJob, .subscription: return ()
        }
    }
}

/// Which kind of shortcut: a message shortcut (⋯ menu) or a global one (⚡ menu).
public enum ShortcutKind: String, Sendable, Equatable {
    case message
    case global
}

/// What a route carries besides its handler, for help, the manifest and the job runner.
public enum RouteMetadata: Sendable, Equatable {
    case none
    /// A subcommand's arguments (`<description>`) and its one-sentence help.
    case command(usage: String, help: String)
    /// A shortcut's menu entry.
    case shortcut(ShortcutKind, name: String, description: String)
    /// How often a recurring job fires.
    case recurring(every: Duration)
    /// A webhook's HTTP method and path (below `/hooks/<plugin-id>/`).
    case webhook(WebhookRequest.Method, path: String)
}

/// One registration of a plugin: kind and id, the metadata of the kind, the plugin's middleware
/// and one handler with its input and output erased. The host erases the plugin type too when it
/// mounts the plugin; the dispatcher, the job runner and the manifest all work from these.
public struct Route<P: Plugin>: Sendable {
    public typealias Body = @Sendable (P, any Sendable, InvocationContext) async throws -> any Sendable

    public let kind: RouteKind
    public let id: String
    public let metadata: RouteMetadata
    /// Outermost first: the groups' middleware in nesting order.
    public let middleware: [any RouteMiddleware]
    let body: Body

    init(kind: RouteKind, id: String, metadata: RouteMetadata, middleware: [any RouteMiddleware], body: @escaping Body) {
        self.kind = kind
        self.id = id
        self.metadata = metadata
        self.middleware = middleware
        self.body = body
    }

    /// Runs the middleware and then the handler. A ``RouteRefusal`` from a middleware becomes the
    /// kind's refusal (an ephemeral message, a 403, or nothing for background work).
    public func run(_ plugin: P, _ input: any Sendable, _ context: InvocationContext) async throws -> any Sendable {
        let request = RouteRequest(kind: kind, id: id, input: input)
        var next: @Sendable (InvocationContext) async throws -> any Sendable = { [body] context in try await body(plugin, input, context) }
        for layer in middleware.reversed() {
            let inner = next
            next = { context in try await layer.handle(request, context: context, next: inner) }
        }
        do {
            return try await next(context)
        } catch let refusal as RouteRefusal {
            return try kind.refusal(refusal.reason)
        }
    }
}

/// A handler's input did not have the type its route expects (a host bug, not a user's).
public struct RouteInputMismatch: Error, Sendable, CustomStringConvertible {
    public let kind: RouteKind
    public let id: String
    public let expected: String
    public var description: String { "\(kind.rawValue) '\(id)' expects \(expected)" }
}
