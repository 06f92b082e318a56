/// A step a plugin puts in front of its own routes (Hummingbird's `RouterMiddleware`, per route
/// group): a check every handler of the group would otherwise repeat, such as Cases'
/// `allowed_workspaces`. It runs after the host's middleware, in the plugin's context.
public protocol RouteMiddleware: Sendable {
    /// Calls `next` to go on (possibly with a changed context), or throws ``RouteRefusal`` to stop.
    func handle(
        _ request: RouteRequest, context: InvocationContext, next: @Sendable (InvocationContext) async throws -> any Sendable
    ) async throws -> any Sendable
}

/// The invocation a route middleware sees: which route, and its input (a ``SlashCommand``,
/// ``BlockAction``, … or a job's payload).
public struct RouteRequest: Sendable {
    public let kind: RouteKind
    public let id: String
    public let input: any Sendable
}

/// A middleware's "no": the user reads `reason` (an ephemeral message); events and jobs are
/// dropped quietly and webhooks answer 403.
public struct RouteRefusal: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A middleware that lets an invocation through when `allows` says so and refuses it otherwise.
public struct RouteGuard: RouteMiddleware {
    let allows: @Sendable (RouteRequest, InvocationContext) -> Bool
    let reason: String

    public init(refusing reason: String, unless allows: @escaping @Sendable (RouteRequest, InvocationContext) -> Bool) {
        self.reason = reason
        self.allows = allows
    }

    public func handle(
        _ request: RouteRequest, context: InvocationContext, next: @Sendable (InvocationContext) async throws -> any Sendable
    ) async throws -> any Sendable {
        guard allows(request, context) else { throw RouteRefusal(reason) }
        return try await next(context)
    }
}
