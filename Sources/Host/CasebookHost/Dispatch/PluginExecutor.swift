import CasebookKit

/// Where plugin code runs: on Swift's global concurrent pool, never on the event loop a Socket
/// Mode envelope arrived on.
///
/// The socket's envelope tasks prefer its event loop (``EventLoopTaskExecutor``), so the host's
/// own work — parsing, dedupe, the middleware chain, `/case help`, writing the ack — costs no
/// thread hop. A plugin handler that blocked its thread there (synchronous I/O, a lock, a long
/// computation) would stall every envelope on that socket; on the pool it stalls only itself.
enum PluginExecutor {
    /// Runs `body` (the route: plugin middleware and handler) with the global pool as the task's
    /// executor preference, unless the host answers the invocation itself.
    static func run(_ invocation: Invocation, _ body: @Sendable () async throws -> Reply) async throws -> Reply {
        if invocation.isAnsweredByHost { return try await body() }
        return try await withTaskExecutorPreference(globalConcurrentExecutor, operation: body)
    }
}

extension Invocation {
    /// `/case` and `/case help`: the help text is built by the host from the registrations, once.
    var isAnsweredByHost: Bool {
        guard case .command(let command) = self else { return false }
        return command.subcommand.isEmpty || command.subcommand == "help"
    }
}
