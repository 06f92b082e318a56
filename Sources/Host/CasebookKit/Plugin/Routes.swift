/// The routes a plugin registers, collected at start-up (the plugin's `RouteCollection`): one
/// list of ``Route`` values, each a kind and an id with one handler.
///
/// A handler is best a method of the plugin, registered directly:
/// `routes.command("open", usage: "<description>", help: "…", use: CasesPlugin.open)`, where
/// `open` is `func open(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply`
/// (or takes a ``PluginContext`` when it needs nothing about the invocation). A closure
/// `{ plugin, input, context in … }` works too. Routes registered inside ``group(_:_:)`` run the
/// group's middleware first. The host erases the plugin type when it mounts the routes; duplicates
/// across plugins are a start-up error.
public struct Routes<P: Plugin>: Sendable {
    public typealias Handler<Input, Output> = @Sendable (P, Input, PluginContext) async throws -> Output
    /// A plugin method, unapplied: `CasesPlugin.open`.
    public typealias Method<Input, Output, Context: RouteContext> = @Sendable (P) -> (Input, Context) async throws -> Output

    /// Every route, in registration order (help and the manifest list subcommands in this order).
    public private(set) var all: [Route<P>] = []
    /// The middleware of the groups being registered, outermost first.
    private var middleware: [any RouteMiddleware] = []

    public init() {}

    /// Adds a route of any kind: the one place every registration below ends in.
    public mutating func add<Input: Sendable, Output: Sendable, Context: RouteContext>(
        _ kind: RouteKind, _ id: String, metadata: RouteMetadata = .none, use method: @escaping Method<Input, Output, Context>
    ) {
        all.append(Route(kind: kind, id: id, metadata: metadata, middleware: middleware) { plugin, input, context in
            guard let typed = input as? Input else { throw RouteInputMismatch(kind: kind, id: id, expected: "\(Input.self)") }
            return try await method(plugin)(typed, Context(invocation: context))
        })
    }

    /// Registers the routes `body` adds behind `middleware` (after any enclosing group's).
    public mutating func group(_ middleware: any RouteMiddleware..., routes body: (inout Routes<P>) -> Void) {
        let outer = self.middleware
        self.middleware += middleware
        body(&self)
        self.middleware = outer
    }

    /// A closure handler as a method, for the closure-taking registrations.
    static func method<Input, Output>(_ handler: @escaping Handler<Input, Output>) -> Method<Input, Output, PluginContext> {
        { plugin in { input, context in try await handler(plugin, input, context) } }
    }

    /// A method whose input arrives as JSON (jobs, subscriptions), decoded before it runs.
    static func decoding<Payload: Decodable, Context: RouteContext>(
        _ method: @escaping Method<Payload, Void, Context>
    ) -> Method<JSONValue, Void, Context> {
        { plugin in { json, context in try await method(plugin)(try json.decode(as: Payload.self), context) } }
    }

    /// A slash subcommand: `/case <name> <arguments>`.
    /// - Parameters:
    ///   - usage: the arguments, shown in help and usage lines (`<description>`).
    ///   - help: one sentence for `/case help`.
    public mutating func command<Context: RouteContext>(
        _ name: String, usage: String = "", help: String, use method: @escaping Method<SlashCommand, Reply, Context>
    ) {
        add(.command, name.lowercased(), metadata: .command(usage: usage, help: help), use: method)
    }

    public mutating func command(_ name: String, usage: String = "", help: String, _ handler: @escaping Handler<SlashCommand, Reply>) {
        command(name, usage: usage, help: help, use: Self.method(handler))
    }

    /// A message shortcut (the "⋯ More actions" menu on a message).
    public mutating func messageShortcut<Context: RouteContext>(
        _ callbackID: String, name: String, description: String, use method: @escaping Method<Shortcut, Reply, Context>
    ) {
        add(.shortcut, callbackID, metadata: .shortcut(.message, name: name, description: description), use: method)
    }

    public mutating func messageShortcut(
        _ callbackID: String, name: String, description: String, _ handler: @escaping Handler<Shortcut, Reply>
    ) {
        messageShortcut(callbackID, name: name, description: description, use: Self.method(handler))
    }

    /// A global shortcut (the ⚡ menu).
    public mutating func globalShortcut<Context: RouteContext>(
        _ callbackID: String, name: String, description: String, use method: @escaping Method<Shortcut, Reply, Context>
    ) {
        add(.shortcut, callbackID, metadata: .shortcut(.global, name: name, description: description), use: method)
    }

    public mutating func globalShortcut(
        _ callbackID: String, name: String, description: String, _ handler: @escaping Handler<Shortcut, Reply>
    ) {
        globalShortcut(callbackID, name: name, description: description, use: Self.method(handler))
    }

    /// A button or select with this `action_id`.
    public mutating func blockAction<Context: RouteContext>(_ actionID: String, use method: @escaping Method<BlockAction, Reply, Context>) {
        add(.blockAction, actionID, use: method)
    }

    public mutating func blockAction(_ actionID: String, _ handler: @escaping Handler<BlockAction, Reply>) {
        blockAction(actionID, use: Self.method(handler))
    }

    /// Submission of a modal opened with this `callback_id`.
    public mutating func viewSubmission<Context: RouteContext>(
        _ callbackID: String, use method: @escaping Method<ViewSubmission, Reply, Context>
    ) {
        add(.viewSubmission, callbackID, use: method)
    }

    public mutating func viewSubmission(_ callbackID: String, _ handler: @escaping Handler<ViewSubmission, Reply>) {
        viewSubmission(callbackID, use: Self.method(handler))
    }

    /// A modal with this `callback_id` was closed (needs `notifyOnClose`).
    public mutating func viewClosed<Context: RouteContext>(_ callbackID: String, use method: @escaping Method<ViewSubmission, Void, Context>) {
        add(.viewClosed, callbackID, use: method)
    }

    public mutating func viewClosed(_ callbackID: String, _ handler: @escaping Handler<ViewSubmission, Void>) {
        viewClosed(callbackID, use: Self.method(handler))
    }

    /// An Events API event type; declare it in ``Requirements/events`` too.
    public mutating func event<Context: RouteContext>(_ type: String, use method: @escaping Method<SlackEvent, Void, Context>) {
        add(.event, type, use: method)
    }

    public mutating func event(_ type: String, _ handler: @escaping Handler<SlackEvent, Void>) {
        event(type, use: Self.method(handler))
    }

    /// An HTTP endpoint at `/hooks/<plugin-id>/<path>`.
    public mutating func webhook<Context: RouteContext>(
        _ method: WebhookRequest.Method, _ path: String, use handler: @escaping Method<WebhookRequest, WebhookResponse, Context>
    ) {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        add(.webhook, "\(method.rawValue) \(trimmed)", metadata: .webhook(method, path: trimmed), use: handler)
    }

    public mutating func webhook(
        _ method: WebhookRequest.Method, _ path: String, _ handler: @escaping Handler<WebhookRequest, WebhookResponse>
    ) {
        webhook(method, path, use: Self.method(handler))
    }

    /// A durable job handler. Jobs are retried with backoff, so handlers must be idempotent.
    public mutating func job<Payload: Codable & Sendable, Context: RouteContext>(
        _ key: JobKey<Payload>, use method: @escaping Method<Payload, Void, Context>
    ) {
        add(.job, key.name, use: Self.decoding(method))
    }

    public mutating func job<Payload: Codable & Sendable>(_ key: JobKey<Payload>, _ handler: @escaping Handler<Payload, Void>) {
        job(key, use: Self.method(handler))
    }

    /// A durable job that fires once per `interval` across all replicas.
    public mutating func every<Context: RouteContext>(_ interval: Duration, _ name: String, use method: @escaping Method<Date, Void, Context>) {
        add(.recurringJob, name, metadata: .recurring(every: interval), use: method)
    }

    public mutating func every(_ interval: Duration, _ name: String, _ handler: @escaping Handler<Date, Void>) {
        every(interval, name, use: Self.method(handler))
    }

    /// A domain event published by this or another plugin; delivered at least once, as a job.
    public mutating func subscribe<Event: DomainEvent, Context: RouteContext>(
        _ type: Event.Type, use method: @escaping Method<Event, Void, Context>
    ) {
        add(.subscription, Event.name, use: Self.decoding(method))
    }

    public mutating func subscribe<Event: DomainEvent>(_ type: Event.Type, _ handler: @escaping Handler<Event, Void>) {
        subscribe(type, use: Self.method(handler))
    }
}
