import CasebookKit
import CasebookStore
import Synchronization

/// What `/readyz` answers, in both modes: not ready while the host is shutting down (flipped
/// before anything stops, see ``ReadinessDrain``), while Socket Mode has no open connection, or
/// while the database does not answer a query within `databaseTimeout`.
public final class HostReadiness: Sendable {
    private let draining = Atomic<Bool>(false)
    private let database: Database
    private let socketMode: SocketModeService?
    private let databaseTimeout: Duration

    public init(database: Database, socketMode: SocketModeService?, databaseTimeout: Duration = .seconds(2)) {
        self.database = database
        self.socketMode = socketMode
        self.databaseTimeout = databaseTimeout
    }

    /// From now on the host answers not-ready (shutdown has begun).
    public func beginDraining() { draining.store(true, ordering: .relaxed) }
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    public func current() async -> Readiness {
        if isDraining { return .notReady("shutting down") }
        if let socketMode, !socketMode.isConnected { return .notReady("Slack Socket Mode is not connected") }
        if let problem = await database.probe(timeout: databaseTimeout) { return .notReady("database: \(problem)") }
        return .ready
    }
}

/// The first service to hear about a graceful shutdown (it runs last in the group, and services
/// stop in reverse order): it flips readiness to not-ready, then waits `delay` while the other
/// services keep working, so load balancers and Kubernetes stop sending traffic before the HTTP
/// server and the transports drain and stop.
public struct ReadinessDrain: Service {
    let readiness: HostReadiness
    let delay: Duration
    let logger: Logger

    public init(readiness: HostReadiness, delay: Duration, logger: Logger) {
        self.readiness = readiness
        self.delay = delay
        self.logger = logger
    }

    public func run() async throws {
        // Suspends until the group shuts down gracefully (or is cancelled).
        try? await gracefulShutdown()
        readiness.beginDraining()
        logger.info("shutting down: /readyz answers 503, draining", metadata: ["drain": "\(delay)"])
        if delay > .zero { try? await Task.sleep(for: delay) }
    }
}
