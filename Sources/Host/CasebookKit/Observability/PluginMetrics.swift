/// Metrics as a plugin records them: its own under `casebook_plugin_<id>_…`, and the case
/// lifecycle under the fixed names that Casebook's dashboard (`deploy/grafana/casebook.json`) and
/// alert rules (`deploy/kubernetes/`) are written against.
///
/// Why the lifecycle names are typed here rather than derived by the host: the host knows chat, not
/// incidents, and could only count the Cases plugin's domain events by decoding another module's
/// JSON; it would still not see *what* triggered a change (a command, a button, an alert) nor how
/// long a war room took to assemble, which no event records. The plugin that makes the change
/// knows both, so it reports them — but through this small typed API, so the names and their label
/// values are spelled once, labels stay bounded (an enum, never a case or user id), and no plugin
/// can invent a variant a dashboard would miss. Values derived from storage (open cases, open
/// incidents by severity) are not recorded here at all: plugins answer ``Observability/gauges`` at
/// scrape time, so they are right after a restart.
public struct PluginMetrics: Sendable {
    public let pluginID: String
    let factory: any MetricsFactory

    /// - Parameter factory: the host's metrics backend (its Prometheus registry).
    public init(pluginID: String, factory: any MetricsFactory) {
        self.pluginID = pluginID
        self.factory = factory
    }

    /// The plugin's own counter, `casebook_plugin_<id>_<name>`.
    public func counter(_ name: String, dimensions: [(String, String)] = []) -> Counter {
        Counter(label: "casebook_plugin_\(pluginID)_\(name)", dimensions: dimensions, factory: factory)
    }

    /// `casebook_cases_<opened|escalated|resolved|closed>_total{source}`, after the change committed.
    public func cases(_ transition: CaseTransition, source: TriggerSource) {
        Counter(label: "casebook_cases_\(transition.rawValue)_total", dimensions: [("source", source.rawValue)], factory: factory).increment()
    }

    /// `casebook_case_time_to_<escalate|resolve|close>_seconds` (histogram).
    public func caseTime(_ span: CaseSpan, seconds: TimeInterval) {
        guard seconds >= 0, seconds.isFinite else { return }
        Timer(label: span.metricName, factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    /// `casebook_war_room_assembly_seconds` (histogram): case opened → channel created, people
    /// invited, first messages posted.
    public func warRoomAssembled(in duration: Duration) {
        Timer(label: Self.warRoomAssembly, factory: factory).recordNanoseconds(duration.nanosecondsClamped)
    }

    /// `casebook_reminders_sent_total`.
    public func reminderSent() {
        Counter(label: "casebook_reminders_sent_total", factory: factory).increment()
    }

    /// `casebook_integration_calls_total{integration,outcome}`: one per attempt of a durable
    /// integration call (recorded by ``Routes/integration(_:_:)``).
    public func integrationCall(_ integration: String, outcome: IntegrationCallOutcome) {
        Counter(label: "casebook_integration_calls_total", dimensions: [("integration", integration), ("outcome", outcome.rawValue)], factory: factory)
            .increment()
    }

    static let warRoomAssembly = "casebook_war_room_assembly_seconds"

    /// Histogram buckets of the names above, for the host's Prometheus factory: minutes to days for
    /// case times (an MTTR in hours must not land in the +Inf bucket), seconds for assembly.
    public static let histogramBuckets: [String: [Duration]] = {
        let caseTimes: [Duration] = [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259_200, 604_800].map { .seconds($0) }
        var buckets: [String: [Duration]] = [:]
        for span in CaseSpan.allCases { buckets[span.metricName] = caseTimes }
        buckets[warRoomAssembly] = [0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60].map { .milliseconds(Int64($0 * 1000)) }
        return buckets
    }()
}

/// A lifecycle transition of a case.
public enum CaseTransition: String, Sendable, CaseIterable {
    case opened, escalated, resolved, closed
}

/// What a case's time is measured between.
public enum CaseSpan: String, Sendable, CaseIterable {
    /// Opened → escalated.
    case toEscalate = "escalate"
    /// Escalated → resolved (the MTTR).
    case toResolve = "resolve"
    /// Opened → closed.
    case toClose = "close"

    public var metricName: String { "casebook_case_time_to_\(rawValue)_seconds" }
}

/// What made a case change: the `source` label.
public enum TriggerSource: String, Sendable, CaseIterable {
    /// A slash command (`/case open`, `/case incident`, `/case phase resolved`, …).
    case command
    /// A global or message shortcut.
    case shortcut
    /// An alert webhook (the alerts plugin).
    case alert
    /// An emoji reaction.
    case reaction
    /// A button in a Slack message.
    case button
}

/// How one attempt of a durable integration call ended.
public enum IntegrationCallOutcome: String, Sendable, CaseIterable {
    case succeeded
    /// Failed, and will be tried again.
    case retried
    /// Failed for good (its failure is reported in the case channel).
    case dead
}

/// Gauges derived from storage, read when `/metrics` is scraped.
public enum Observability {
    /// Plugins contribute the current values of their gauges; the host asks on every scrape and
    /// sets every label value a family had before and no longer reports back to zero.
    public static let gauges = ExtensionPoint<GaugeQuery, [GaugeReading]>("casebook.gauges")
}

/// The input of ``Observability/gauges`` (nothing to ask yet; a type so the point can grow).
public struct GaugeQuery: Sendable, Equatable {
    public init() {}
}

/// A gauge with one bounded label.
public struct GaugeFamily: Sendable, Hashable {
    public let name: String
    public let label: String

    /// `casebook_open_cases{kind}`: `investigation` | `incident`.
    public static let openCases = GaugeFamily(name: "casebook_open_cases", label: "kind")
    /// `casebook_open_incidents{severity}`.
    public static let openIncidents = GaugeFamily(name: "casebook_open_incidents", label: "severity")

    /// A plugin's own gauge, `casebook_plugin_<id>_<name>{label}`.
    public static func plugin(_ pluginID: String, _ name: String, label: String) -> GaugeFamily {
        GaugeFamily(name: "casebook_plugin_\(pluginID)_\(name)", label: label)
    }

    init(name: String, label: String) {
        self.name = name
        self.label = label
    }
}

/// One value of a gauge family.
public struct GaugeReading: Sendable, Equatable {
    public var family: GaugeFamily
    public var labelValue: String
    public var value: Double

    public init(_ family: GaugeFamily, _ labelValue: String, _ value: Double) {
        self.family = family
        self.labelValue = labelValue
        self.value = value
    }
}

extension Duration {
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        guard seconds < Int64.max / 1_000_000_000 else { return .max }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
