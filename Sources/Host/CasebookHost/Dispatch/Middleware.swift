import CasebookKit

/// A step around every invocation (Hummingbird's `MiddlewareProtocol`, for Slack deliveries):
/// workspace allowlist, user policy, rate limit, audit log, metrics.
public protocol DispatchMiddleware: Sendable {
    func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply
}

extension Array where Element == any DispatchMiddleware {
    /// Runs the chain in order, ending in `endpoint`.
    func run(_ invocation: Invocation, endpoint: @escaping @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        var next = endpoint
        for middleware in reversed() {
            let inner = next
            next = { invocation in try await middleware.handle(invocation, next: inner) }
        }
        return try await next(invocation)
    }
}
