/// What one invocation's handler gets (Hummingbird's `RequestContext`): the plugin's context plus
/// what the host learned on the way in — the acting user as the user policy resolved them, the
/// team, the correlation id and the ack deadline. Jobs and subscriptions get one too, with no user
/// and no deadline. The plugin context's members read through it (`context.slack`, `context.storage`).
@dynamicMemberLookup
public struct InvocationContext: Sendable {
    public var plugin: PluginContext
    /// The acting user's id (nil for jobs and most events).
    public var userID: String?
    /// The acting user as the host's user policy already fetched them; nil when the policy did not
    /// look them up (no external or guest refusal configured). ``actingUser()`` fetches it then.
    public var user: SlackUser?
    /// The workspace the invocation came from (the installation's, for jobs).
    public var teamID: String
    /// The trace's correlation id: in every log line of the invocation and the jobs it queues.
    public var correlationID: String?
    /// When Slack stops waiting for the ack: work that would outlast it goes to a job or a
    /// `response_url` reply. Nil outside Slack invocations.
    public var ackDeadline: ContinuousClock.Instant?

    public init(
        plugin: PluginContext, userID: String? = nil, user: SlackUser? = nil, teamID: String? = nil,
        correlationID: String? = TraceContext.current?.correlationID, ackDeadline: ContinuousClock.Instant? = nil
    ) {
        self.plugin = plugin
        self.userID = userID
        self.user = user
        self.teamID = teamID ?? plugin.installation.teamID
        self.correlationID = correlationID
        self.ackDeadline = ackDeadline
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<PluginContext, Value>) -> Value {
        plugin[keyPath: keyPath]
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PluginContext, Value>) -> Value {
        get { plugin[keyPath: keyPath] }
        set { plugin[keyPath: keyPath] = newValue }
    }

    /// The acting user: the one the user policy resolved, or else fetched now (`users.info`).
    public func actingUser() async throws -> SlackUser {
        if let user { return user }
        guard let userID, !userID.isEmpty else { throw UserFacingError("This needs a person to act for.") }
        return try await plugin.slack.userInfo(userID)
    }

    /// The acting user, when it is `id` (saves a look-up the host already made), else `id` fetched.
    public func user(_ id: String) async throws -> SlackUser {
        if let user, user.id == id { return user }
        return try await plugin.slack.userInfo(id)
    }

    /// See ``PluginContext/usage(_:_:)``.
    public func usage(_ subcommand: String, _ arguments: String = "") -> String { plugin.usage(subcommand, arguments) }

    /// See ``PluginContext/announce(_:in:)``.
    @discardableResult
    public func announce(_ message: Message, in channel: String) async -> MessageRef? { await plugin.announce(message, in: channel) }

    /// See ``PluginContext/counter(_:dimensions:)``.
    public func counter(_ name: String, dimensions: [(String, String)] = []) -> Counter { plugin.counter(name, dimensions: dimensions) }
}

/// What a handler may take as its context: the ``InvocationContext`` itself, or just the
/// ``PluginContext`` for handlers that need nothing about the invocation.
public protocol RouteContext: Sendable {
    init(invocation: InvocationContext)
}

extension InvocationContext: RouteContext {
    public init(invocation: InvocationContext) { self = invocation }
}

extension PluginContext: RouteContext {
    public init(invocation: InvocationContext) { self = invocation.plugin }
}
