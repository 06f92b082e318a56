import CasebookKit
import CasebookStore
import Synchronization

/// Gauges read from their source just before `/metrics` is rendered: open cases and incidents by
/// severity from the plugins' storage (``Observability/gauges``), the job backlog from the jobs
/// table, and the Socket Mode connections open now. Read at scrape time rather than kept up to date
/// in memory, they are right after a restart and agree across replicas; a scrape every 15–60 s
/// costs a few indexed counts.
final class ScrapeGauges: Sendable {
    let factory: any MetricsFactory
    let database: Database
    let extensions: ExtensionPoints
    let socketMode: SocketModeService?
    let logger: Logger
    /// The label values each family reported before: one it stops reporting is set to 0, not left
    /// at its last value.
    private let reported = Mutex<[GaugeFamily: Set<String>]>([:])

    init(factory: any MetricsFactory, database: Database, extensions: ExtensionPoints, socketMode: SocketModeService?, logger: Logger) {
        self.factory = factory
        self.database = database
        self.extensions = extensions
        self.socketMode = socketMode
        self.logger = logger
    }

    func refresh() async {
        if let socketMode {
            Gauge(label: "slack_sockets_connected", factory: factory).record(socketMode.connectedSockets)
        }
        do {
            let backlog = try await database.jobBacklog()
            Gauge(label: "casebook_jobs_pending", factory: factory).record(backlog.due)
            Gauge(label: "casebook_jobs_dead", factory: factory).record(backlog.dead)
        } catch {
            logger.warning("job backlog not read for /metrics", metadata: ["error": "\(error)"])
        }
        let readings = await extensions.collect(Observability.gauges, GaugeQuery(), logger: logger).flatMap { $0 }
        var current: [GaugeFamily: [String: Double]] = [:]
        for reading in readings { current[reading.family, default: [:]][reading.labelValue, default: 0] += reading.value }
        let stale = reported.withLock { reported -> [GaugeFamily: Set<String>] in
            var stale: [GaugeFamily: Set<String>] = [:]
            for (family, labels) in reported { stale[family] = labels.subtracting(current[family]?.keys.map { $0 } ?? []) }
            for (family, values) in current { reported[family, default: []].formUnion(values.keys) }
            return stale
        }
        for (family, values) in current {
            for (label, value) in values { Gauge(label: family.name, dimensions: [(family.label, label)], factory: factory).record(value) }
        }
        for (family, labels) in stale {
            for label in labels { Gauge(label: family.name, dimensions: [(family.label, label)], factory: factory).record(0) }
        }
    }
}
