import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Issue 19 point 4: `deploy/grafana/casebook.json` is a valid dashboard whose every PromQL
/// expression reads only metrics a running host really exports (checked against a scrape after
/// a lifecycle that exercises each of them). The Kubernetes alert rules are held to the same scrape.
@Suite struct DashboardTests {
    static let dashboardURL = ObservabilityHarness.root.appendingPathComponent("deploy/grafana/casebook.json")

    struct Target {
        var panel: String
        var expr: String
    }

    static func targets() throws -> (dashboard: [String: JSONValue], targets: [Target]) {
        let data = try Data(contentsOf: dashboardURL)
        let dashboard = try #require(try JSONValue.decode(data).object, "the dashboard is a JSON object")
        var targets: [Target] = []
        for panel in dashboard["panels"]?.array ?? [] {
            for target in panel["targets"]?.array ?? [] {
                targets.append(Target(panel: panel["title"]?.string ?? "?", expr: target["expr"]?.string ?? ""))
            }
        }
        return (dashboard, targets)
    }

    /// The metric names an expression reads (every Casebook metric starts with one of two prefixes).
    static func metricNames(in expr: String) -> Set<String> {
        Set(expr.matches(of: /\b(?:casebook|slack)_[a-z0-9_]+/).map { String($0.output) })
    }

    @Test func theDashboardIsValidAndCoversWhatAnSREAsksFor() throws {
        let (dashboard, targets) = try Self.targets()
        #expect(dashboard["title"]?.string == "Casebook")
        #expect(dashboard["uid"]?.string == "casebook")
        let panels = dashboard["panels"]?.array ?? []
        let ids = panels.compactMap { $0["id"]?.double }
        #expect(Set(ids).count == ids.count, "panel ids are unique")
        let titles = panels.compactMap { $0["title"]?.string }
        for wanted in ["MTTR", "Escalation rate", "Open incidents by severity", "War-room assembly", "Slack health", "Socket Mode",
                       "Ack latency", "Integration request failure ratio", "Durable integration calls", "Job backlog"] {
            #expect(titles.contains { $0.contains(wanted) }, "a panel about \(wanted)")
        }
        #expect(!targets.isEmpty)
        for target in targets {
            #expect(!Self.metricNames(in: target.expr).isEmpty, "\(target.panel): \(target.expr) reads no Casebook metric")
            #expect(target.expr.filter { $0 == "(" }.count == target.expr.filter { $0 == ")" }.count, "\(target.panel): unbalanced parentheses")
        }
        // Every data panel reads the dashboard's Prometheus data source variable.
        for panel in panels where panel["type"]?.string != "row" {
            #expect(panel["datasource"]?["uid"]?.string == "${datasource}", "\(panel["title"]?.string ?? "?")")
        }
    }

    /// The alert rules' text (`deploy/kubernetes/base/prometheusrule.yaml`), as one target: every
    /// metric named anywhere in it must be exported.
    static func alertRules() throws -> Target {
        let url = ObservabilityHarness.root.appendingPathComponent("deploy/kubernetes/base/prometheusrule.yaml")
        return Target(panel: "PrometheusRule", expr: try String(contentsOf: url, encoding: .utf8))
    }

    @Test func everyExpressionReadsMetricsTheHostExports() async throws {
        let targets = try Self.targets().targets + [Self.alertRules()]
        #expect(Self.metricNames(in: try Self.alertRules().expr).count >= 4, "the alert rules read the host's metrics")
        try await ObservabilityHarness.run { host, _ in
            // Exercise each family at least once: a command and a button path, an alert, an
            // integration call, a resolve and close, and a Socket Mode reconnect.
            let channel = try await ObservabilityHarness.open(host, "Dashboard check")
            try await host.slash("incident", as: "alice", in: channel)
            try await ObservabilityHarness.postAlert(
                host, ObservabilityHarness.oncall("alert group created", state: "firing", id: "IDASH1", severity: "critical"))
            try await host.settleJobs()
            try await host.advance(by: .seconds(1800))
            try await host.slash("resolve", as: "alice", in: channel)
            try await host.slash("close", as: "alice", in: channel)
            try await host.simulator.sendDisconnect(.refreshRequested)
            try await host.waitUntil("the socket is replaced") {
                try await ObservabilityHarness.scrape(host).samples.contains { $0.name == "slack_socket_reconnects_total" }
            }
            try await host.settleJobs()

            let scrape = try await ObservabilityHarness.scrape(host)
            let exported = scrape.families
            for target in targets {
                for name in Self.metricNames(in: target.expr) {
                    let histogram = ["_bucket", "_sum", "_count"].compactMap { suffix -> String? in
                        name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : nil
                    }.first
                    let known = exported.contains(name) || histogram.map { scrape.types[$0] == "histogram" } == true
                    #expect(known, "\(target.panel): \(name) is not on /metrics")
                }
            }
        }
    }
}
