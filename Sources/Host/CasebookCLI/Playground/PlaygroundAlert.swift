import CasebookKit
import CasebookSandbox
import Crypto
import Foundation

/// `:alert [firing|resolved] [title]`: a Grafana OnCall "Forward All" event, signed as a signing
/// proxy would, posted to the playground host's own `/hooks/alerts/grafana-oncall`. The alert
/// group id comes from the title, so a resolved alert with the same title resolves the same case.
enum PlaygroundAlert {
    /// The playground's alerts credentials, under the variable names the shipped plugins.yaml uses.
    static let token = "playground-alerts-token-0123"
    static let hmacSecret = "playground-alerts-hmac-secret"
    static let defaultTitle = "High error rate on checkout"

    static func post(_ arguments: [String], to host: SandboxHost) async throws -> String {
        var words = arguments
        let state = words.first.flatMap { ["firing", "resolved"].contains($0) ? $0 : nil } ?? "firing"
        if words.first == state { words.removeFirst() }
        let title = words.isEmpty ? defaultTitle : words.joined(separator: " ")
        let body = try event(state: state, title: title, at: Date())
        let signature = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(hmacSecret.utf8))).hexString
        let answer = try await host.request(
            "POST", "/hooks/alerts/grafana-oncall", body: body,
            headers: ["Content-Type": "application/json", "Authorization": "Bearer \(token)", "X-Grafana-OnCall-Signature": signature])
        try? await host.settleJobs(timeout: .seconds(5))
        return "POST /hooks/alerts/grafana-oncall (\(state), \"\(title)\") → \(answer.status)"
    }

    /// A realistic event object: the ids, nulls and nested objects OnCall sends.
    static func event(state: String, title: String, at now: Date) throws -> Data {
        let id = "I" + String(title.unicodeScalars.reduce(UInt64(5381)) { ($0 &* 33) &+ UInt64($1.value) } % 1_000_000_000, radix: 36).uppercased()
        let time = ISO8601DateFormatter().string(from: now)
        let resolved = state == "resolved"
        let event: JSONValue = [
            "event": ["type": .string(resolved ? "resolve" : "alert group created"), "time": .string(time)],
            "user": resolved ? ["id": "UOCALICE", "username": "alice", "email": "alice@casebook.test"] : .null,
            "alert_group": [
                "id": .string(id), "integration_id": "CFRPV98RPR1U8", "team_id": .null, "route_id": "RIYGUJXCPFHXY", "alerts_count": 1,
                "state": .string(state), "created_at": .string(time), "resolved_at": resolved ? .string(time) : .null, "resolved_by": .null,
                "acknowledged_at": .null, "acknowledged_by": .null, "silenced_at": .null, "title": .string(title),
                "permalinks": ["slack": .null, "telegram": .null, "web": .string("https://oncall.casebook.test/alert-groups/\(id)")],
                "labels": [],
            ],
            "alert_group_id": .string(id),
            "alert_payload": [
                "labels": ["alertname": "CheckoutErrors", "severity": "warning", "team": "payments"],
                "annotations": ["description": "5xx responses above 5% for 10 minutes"],
                "generatorURL": "https://grafana.casebook.test/alerting/grafana/checkout-errors/view",
            ],
            "integration": ["id": "CFRPV98RPR1U8", "type": "grafana_alerting", "name": "Grafana Alerting", "team": .null, "labels": []],
            "notified_users": [], "users_to_be_notified": [], "responses": [:],
            "webhook": ["id": "WHAOQ79XWVPUT1", "name": "casebook", "labels": []],
        ]
        return Data(event.encoded().utf8)
    }
}
