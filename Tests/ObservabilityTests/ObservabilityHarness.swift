import AlertsPlugin
import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import PagerDutyPlugin
import RolesPlugin
import SlackSimulator
import Testing

/// The real host with Cases, Roles, PagerDuty and Alerts against the Slack simulator and the fake
/// PagerDuty: the whole incident lifecycle, from a command or an alert, with `/metrics` served.
enum ObservabilityHarness {
    static let alertsToken = "observe-alerts-token-0123"

    static let config = """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
          roles:
            enabled: true
            config:
              digest_channel: C0ALERTS
              default_severity: sev2
              remind_severities: [sev1, sev2]
              first_reminder: 20m
              reminder_interval: 1h
          pagerduty:
            enabled: auto
            config:
              routing_key: ${PAGERDUTY_ROUTING_KEY:-}
          alerts:
            enabled: auto
            config:
              token: ${ALERTS_WEBHOOK_TOKEN:-}
              escalate_when: { severity: critical }
              resolve_with_alert: true

        """

    static func run(
        database: TestDatabase.Backend = .sqlite, pagerduty: FakePagerDuty = .seeded(), logHandler: (@Sendable (String) -> any LogHandler)? = nil, logLevel: Logger.Level = .warning,
        _ body: @Sendable (TestHost, FakePagerDuty) async throws -> Void
    ) async throws {
        try await TestHost.withRunning(
            plugins: [CasesPlugin.self, RolesPlugin.self, PagerDutyPlugin.self, AlertsPlugin.self], config: config,
            environment: ["PAGERDUTY_ROUTING_KEY": FakePagerDuty.seededRoutingKey, "ALERTS_WEBHOOK_TOKEN": alertsToken],
            logLevel: logLevel, database: database, fakes: [pagerduty], logHandler: logHandler
        ) { host in try await body(host, pagerduty) }
    }

    /// `/case open <title>` as alice in #general; the new case channel's id.
    static func open(_ host: TestHost, _ title: String) async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        let reply = try await host.slash("open \(title)", as: "alice", in: "general")
        let created = host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }
        return try #require(created?.id, "no channel: \(reply?.text ?? "no reply")")
    }

    /// A Grafana OnCall "alert group created" (or resolved) event for alert group `id`.
    static func oncall(_ type: String, state: String, id: String, severity: String) -> Data {
        Data("""
            {"event":{"type":"\(type)","time":"2026-12-02T10:00:00Z"},"user":null,
             "alert_group":{"id":"\(id)","integration_id":"CFRPV98RPR1U8","alerts_count":1,"state":"\(state)",
               "created_at":"2026-12-02T09:59:00Z","title":"Checkout latency over SLO",
               "permalinks":{"web":"https://oncall.example.com/alert-groups/\(id)"},"labels":[]},
             "alert_group_id":"\(id)",
             "alert_payload":{"labels":{"severity":"\(severity)"},"annotations":{},"generatorURL":"https://grafana.example.com/alerting/1"},
             "integration":{"id":"CFRPV98RPR1U8","type":"grafana_alerting","name":"Grafana"}}
            """.utf8)
    }

    @discardableResult
    static func postAlert(_ host: TestHost, _ body: Data, traceparent: String? = nil) async throws -> TestHost.HTTPAnswer {
        var headers = ["Content-Type": "application/json", "Authorization": "Bearer \(alertsToken)"]
        if let traceparent { headers["traceparent"] = traceparent }
        return try await host.request("POST", "/hooks/alerts/grafana-oncall", body: body, headers: headers)
    }

    static func scrape(_ host: TestHost) async throws -> Scrape {
        Scrape(try await host.scrapeMetrics())
    }

    /// The repository's root, for the files under `deploy/`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
