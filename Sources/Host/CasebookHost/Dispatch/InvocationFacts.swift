import CasebookKit

/// What the host learns about an invocation on its way through the middleware, carried down to the
/// route (task-locals, so the ``DispatchMiddleware`` protocol stays as it is) and handed to the
/// handler in its ``InvocationContext``.
enum InvocationFacts {
    /// The acting user as ``UserPolicy`` fetched them.
    @TaskLocal static var user: SlackUser?
    /// When the delivery's ack is due.
    @TaskLocal static var ackDeadline: ContinuousClock.Instant?
}
