import AlertsPlugin
import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Crypto
import Foundation
import SlackSimulator
import Testing

/// The real host with Cases and Alerts against the Slack simulator; webhooks are real HTTP
/// requests to the host's port, cases are announced in #incidents.
enum AlertsHarness {
    static let token = "alerts-token-0123456789"
    static let hmacSecret = "alerts-hmac-secret-42"

    static func config(_ extra: [String] = []) -> String {
        let lines = [
            "host:", "  sockets: 1", "plugins:",
            "  cases:", "    enabled: true", "    config:", "      notifications_channel: C0INCIDENTS",
            "  alerts:", "    enabled: auto", "    config:", "      token: ${ALERTS_WEBHOOK_TOKEN:-}", "      hmac_secret: ${ALERTS_HMAC_SECRET:-}",
        ] + extra.map { "      " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func run(
        _ extra: [String] = [], hmac: Bool = false, _ body: @Sendable (TestHost) async throws -> Void
    ) async throws {
        var environment = ["ALERTS_WEBHOOK_TOKEN": token]
        if hmac { environment["ALERTS_HMAC_SECRET"] = hmacSecret }
        try await TestHost.withRunning(plugins: [CasesPlugin.self, AlertsPlugin.self], config: config(extra), environment: environment, body)
    }

    static func bearer(_ token: String = AlertsHarness.token) -> [String: String] {
        ["Content-Type": "application/json", "Authorization": "Bearer \(token)"]
    }

    static func signature(_ body: Data, secret: String = AlertsHarness.hmacSecret) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// An OnCall "Forward All" event object, with the nulls and extra fields real ones carry.
    static func oncall(
        _ type: String, state: String = "firing", id: String = "IABCD1234", title: String = "High error rate on checkout",
        count: Int = 1, time: String = "2026-12-02T10:00:00Z", user: String? = nil, labels: String = #"{"severity":"warning","team":"payments"}"#
    ) -> Data {
        let userJSON = user.map { #"{"id":"UOC1","username":"\#($0)","email":"\#($0)@example.com"}"# } ?? "null"
        return Data("""
            {"event":{"type":"\(type)","time":"\(time)"},"user":\(userJSON),
             "alert_group":{"id":"\(id)","integration_id":"CFRPV98RPR1U8","team_id":null,"route_id":"RIYGUJXCPFHXY","alerts_count":\(count),
               "state":"\(state)","created_at":"2026-12-02T09:59:00Z","resolved_at":null,"resolved_by":null,"acknowledged_at":null,
               "acknowledged_by":null,"silenced_at":null,"title":"\(title)",
               "permalinks":{"slack":null,"telegram":null,"web":"https://oncall.example.com/alert-groups/\(id)"},"labels":[]},
             "alert_group_id":"\(id)",
             "alert_payload":{"labels":\(labels),"annotations":{"description":"5xx above 5% for 10m"},"generatorURL":"https://grafana.example.com/alerting/1"},
             "integration":{"id":"CFRPV98RPR1U8","type":"grafana_alerting","name":"Grafana","team":null,"labels":[]},
             "notified_users":[],"users_to_be_notified":[],"responses":{},"webhook":{"id":"WHAOQ79XWVPUT1","name":"casebook","labels":[]},
             "something_new":{"nested":[1,2,3]}}
            """.utf8)
    }

    /// An Alertmanager v4 batch; `alerts` are (fingerprint, status) pairs.
    static func alertmanager(
        status: String, alerts: [(String, String)], groupKey: String = #"{}:{alertname="DiskFull"}"#, truncated: Int = 0
    ) -> Data {
        let items = alerts.map { fingerprint, state in
            """
            {"status":"\(state)","labels":{"alertname":"DiskFull","instance":"db-\(fingerprint)","severity":"critical"},
             "annotations":{"summary":"Disk almost full on the database"},"startsAt":"2026-12-02T09:00:00Z",
             "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example.com/graph?g0.expr=disk","fingerprint":"\(fingerprint)"}
            """
        }.joined(separator: ",")
        let escapedKey = groupKey.replacingOccurrences(of: "\"", with: "\\\"")
        return Data("""
            {"version":"4","groupKey":"\(escapedKey)","truncatedAlerts":\(truncated),"status":"\(status)","receiver":"casebook",
             "groupLabels":{"alertname":"DiskFull"},"commonLabels":{"alertname":"DiskFull","severity":"critical"},
             "commonAnnotations":{"summary":"Disk almost full on the database"},"externalURL":"http://alertmanager.example.com",
             "alerts":[\(items)]}
            """.utf8)
    }

    @discardableResult
    static func postOnCall(_ host: TestHost, _ body: Data, headers: [String: String] = AlertsHarness.bearer()) async throws -> TestHost.HTTPAnswer {
        try await host.request("POST", "/hooks/alerts/grafana-oncall", body: body, headers: headers)
    }

    @discardableResult
    static func postAlertmanager(_ host: TestHost, _ body: Data, headers: [String: String] = AlertsHarness.bearer()) async throws -> TestHost.HTTPAnswer {
        try await host.request("POST", "/hooks/alerts/alertmanager", body: body, headers: headers)
    }

    static func caseChannels(_ host: TestHost) -> [Conversation] {
        host.simulator.conversations.filter { $0.name.hasPrefix("case-") }
    }

    static func texts(_ host: TestHost, in channel: String) -> [String] {
        host.simulator.messages(in: channel).map { SlackReply(text: $0.text, blocks: $0.blocks).allText }
    }

    static func actions(_ host: TestHost) async throws -> [String] {
        try await host.app.database.auditEntries().map(\.action)
    }

    /// The one case channel there must be.
    static func onlyCaseChannel(_ host: TestHost) throws -> Conversation {
        let channels = caseChannels(host)
        try #require(channels.count == 1, "case channels: \(channels.map(\.name))")
        return channels[0]
    }
}
