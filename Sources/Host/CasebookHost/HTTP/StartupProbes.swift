import CasebookKit
import Hummingbird
import Synchronization

/// What the host is doing before it serves: `/readyz` names it while booting.
public final class StartupPhase: Sendable {
    private let phase = Mutex("booting")

    public init() {}

    /// Names the step the host has begun ("running migrations", "connecting to Slack").
    public func enter(_ step: String) { phase.withLock { $0 = step } }
    public var current: String { phase.withLock { $0 } }
}

/// Answers the probes from the moment `casebook serve` starts until the full router takes over.
///
/// Boot runs the migrations (which can take minutes on a large database, or wait for another
/// replica's), asks Slack who we are and mounts the plugins before the host's HTTP server exists;
/// a Kubernetes liveness or startup probe would meet "connection refused" all that time and kill
/// the pod. So a small listener binds the same address first and answers only `GET /healthz` (200)
/// and `GET /readyz` (503, "starting: <phase>"); every other path is 404, as nothing is mounted yet
/// (Slack retries its deliveries). Once boot has returned, the listener stops gracefully and the
/// host's own ``HTTPServerService`` binds the same port as one service of its group, so a running
/// host (Slack HTTP mode, `/hooks`, `/metrics`, readiness, the drain on SIGTERM) is unchanged.
/// Between the two there is only the moment of closing one socket and opening the next, which a
/// probe's retry (`failureThreshold`) absorbs; no boot work runs in that moment.
public enum StartupProbes {
    /// Runs `boot` while the probes are answered on `configuration` (no listener when nil).
    /// `boot` receives the bound port (the real one when `configuration.port` is 0) to serve on.
    public static func whileBooting<T>(
        _ configuration: HTTPServerConfiguration?, phase: StartupPhase, logger: Logger,
        _ boot: (_ port: Int?) async throws -> T
    ) async throws -> T {
        guard let configuration else { return try await boot(nil) }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let listener = HTTPServerService(
            router: makeRouter(readiness: { .notReady("starting: \(phase.current)") }, recordRequestMetrics: false),
            configuration: configuration, logger: logger,
            onServerRunning: { port in
                portContinuation.yield(port)
                portContinuation.finish()
            })
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [listener], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                // A failed bind ends the stream too, so that the wait below ends.
                defer { portContinuation.finish() }
                try await group.run()
            }
            var bound: Int?
            for await port in ports { bound = port }
            guard let bound else {
                try await tasks.waitForAll()
                throw EnvironmentError("the HTTP server could not listen on \(configuration.host):\(configuration.port)")
            }
            do {
                let result = try await boot(bound)
                // Hand over: the listener closes its socket before the host's server binds it.
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}
