import CasebookHost
import CasebookKit
import Foundation
import SlackSimulator
import Synchronization

extension SandboxHost {
    /// How the test host reaches the app.
    public enum Mode: Sendable, Equatable {
        /// As deployed: the simulator listens, the host connects over Socket Mode (or receives
        /// signed HTTP), calls the Web API over HTTP and serves its HTTP port. For tests of the
        /// transports, acks and their budgets, webhooks and metrics.
        case live
        /// No sockets (Hummingbird's `.router` test mode): deliveries go straight to the host's
        /// dispatcher (middleware, routes, reply delivery), and its Web API calls and
        /// `response_url` posts straight to the simulator's handlers. A `.sqlite` database is in
        /// memory and lives across ``SandboxHost/restart()``. `slash`, `click`, `submitTopView`, the
        /// shortcuts and events return after every effect of the invocation (ack, modal,
        /// `response_url` post, messages the handler sent); only jobs need ``SandboxHost/settleJobs(timeout:)``.
        /// No HTTP port: ``SandboxHost/request(_:_:body:headers:)`` and ``SandboxHost/scrapeMetrics()`` need `.live`.
        case inProcess

        func overridden(environment: [String: String] = ProcessInfo.processInfo.environment) -> Mode {
            environment[SandboxHost.modeVariable] == "live" ? .live : self
        }
    }

    /// `CASEBOOK_TEST_MODE=live` runs in-process tests live too: the same behaviour over real
    /// sockets, and the suite's time without the in-process mode.
    static let modeVariable = "CASEBOOK_TEST_MODE"

    /// The URL of an in-process host's SQLite database, which starts as a copy of a migrated
    /// template (``SQLiteTestTemplates``).
    static let inMemorySQLite = "sqlite::memory:"

    /// The database URL a test host of `mode` runs on. SQLite: a new file when live, in memory in
    /// process. PostgreSQL: a reused database migrated for `plugins` (``PostgresTestDatabases``).
    static func withDatabase<T: Sendable>(
        _ backend: SandboxDatabase.Backend, mode: Mode, plugins: [any Plugin.Type], logger: Logger, _ body: (String) async throws -> T
    ) async throws -> T {
        switch (backend, mode) {
        case (.sqlite, .inProcess):
            return try await body(inMemorySQLite)
        case (.sqlite, .live):
            return try await SandboxDatabase.with(backend, logger: logger) { database in try await body(database.url) }
        case (.postgres, _):
            return try await SandboxDatabase.withMigratedURL(plugins: plugins, logger: logger, body)
        }
    }

    /// Points the host's Slack traffic at the simulator's handlers instead of the network.
    func wireInProcess(_ options: inout CasebookApp.Options) {
        let wire = InProcessSlack(simulator: simulator)
        // Retries after a server error still happen, and are counted, but back off in
        // milliseconds: nothing here measures time, and the wait is idle wall time in every test.
        options.webAPI.backoffBase = .milliseconds(10)
        options.webAPI.backoffMax = .milliseconds(100)
        // Client-side pacing (a message a second per channel after a burst) is the transport's
        // concern and is tested live; here it would only add idle seconds.
        options.webAPI.pacing = .disabled
        options.webAPI.transport = wire
    }

    /// Hands `payload` to the dispatcher as a transport would and waits until the handler and the
    /// delivery of its reply are done. The ack reaches the simulator when the dispatcher sends it
    /// (an immediate reply is posted, a `response_action` applied), as over a socket.
    func deliverInProcess(_ payload: JSONValue) async throws -> JSONValue? {
        let dispatcher = try app.dispatcher
        let kind: Inbound.Kind
        switch EnvelopeKind.of(payload) {
        case .slashCommands: kind = .slashCommand
        case .interactive: kind = .interactive
        case .eventsAPI: kind = .eventsAPI
        }
        let simulator = self.simulator
        let answer = Mutex<(acked: Bool, body: JSONValue?)>((false, nil))
        let acknowledge: @Sendable (JSONValue?) -> Void = { body in
            answer.withLock { answer in
                guard !answer.acked else { return }
                answer = (true, simulator.acknowledge(payload, answer: body))
            }
        }
        await dispatcher.handle(
            Inbound(kind: kind, payload: payload, deliveryID: "in-process-" + UUID().uuidString),
            ack: Acknowledgement(send: { acknowledge($0) }, sendEmptyNow: { acknowledge(nil) }))
        let (acked, body) = answer.withLock { $0 }
        guard acked else { throw SimulatorError("the host did not ack") }
        return body
    }
}
