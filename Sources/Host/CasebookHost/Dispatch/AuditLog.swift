import CasebookKit

/// Logs who invoked what, with the outcome, and counts invocations for `/metrics`.
public struct AuditLog: DispatchMiddleware {
    let logger: Logger
    private let invocations: MetricHandles<Counter>
    private let durations: MetricHandles<Metrics.Timer>

    /// - Parameter metricsFactory: where the metrics go; `nil` uses the bootstrapped `MetricsSystem`.
    public init(logger: Logger, metricsFactory: (any MetricsFactory)? = nil) {
        self.logger = logger
        let factory = metricsFactory ?? MetricsSystem.factory
        invocations = MetricHandles { Counter(label: "casebook_invocations_total", dimensions: [("kind", $0[0]), ("outcome", $0[1])], factory: factory) }
        durations = MetricHandles { Metrics.Timer(label: "casebook_handler_duration_seconds", dimensions: [("kind", $0[0])], factory: factory) }
    }

    public func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        let started = ContinuousClock.now
        let kind = String(invocation.label.prefix { $0 != ":" })
        do {
            let reply = try await next(invocation)
            record(invocation, kind: kind, outcome: "ok", started: started)
            return reply
        } catch let error as UserFacingError {
            record(invocation, kind: kind, outcome: "refused", started: started, note: error.message)
            throw error
        } catch {
            record(invocation, kind: kind, outcome: "error", started: started)
            throw error
        }
    }

    func record(_ invocation: Invocation, kind: String, outcome: String, started: ContinuousClock.Instant, note: String? = nil) {
        let elapsed = ContinuousClock.now - started
        invocations(kind, outcome).increment()
        durations(kind).record(duration: elapsed)
        var metadata: Logger.Metadata = [
            "user": "\(invocation.userID ?? "-")", "team": "\(invocation.teamID)", "outcome": "\(outcome)",
        ]
        if let note { metadata["note"] = "\(note)" }
        logger.info("invocation \(invocation.label)", metadata: metadata)
    }
}
