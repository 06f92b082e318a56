import CasebookKit

/// Reads an Alertmanager webhook (version 4). `groupKey`, `status` and `alerts` are required.
enum AlertmanagerPayload {
    static func notice(from body: [String: JSONValue]) throws -> AlertNotice {
        guard let groupKey = body["groupKey"]?.text else { throw WebhookRejection.badRequest("the body has no 'groupKey'") }
        guard let status = body["status"]?.text, ["firing", "resolved"].contains(status) else {
            throw WebhookRejection.badRequest("'status' must be firing or resolved")
        }
        guard let alerts = body["alerts"]?.array else { throw WebhookRejection.badRequest("the body has no 'alerts' list") }
        let commonLabels = (body["commonLabels"]?.object ?? [:]).stringValues
        let commonAnnotations = (body["commonAnnotations"]?.object ?? [:]).stringValues
        let groupLabels = (body["groupLabels"]?.object ?? [:]).stringValues
        let resolved = alerts.filter { $0["status"]?.text == "resolved" }.count
        let truncated = status == "firing" ? max(0, body["truncatedAlerts"]?.int ?? 0) : 0
        let links = Array(Set(alerts.compactMap { $0["generatorURL"]?.text })).sorted().prefix(5) + [body["externalURL"]?.text].compactMap { $0 }
        // A resend of the same batch is the same delivery: same group, status and alert states.
        let states = alerts.map { "\($0["fingerprint"]?.text ?? $0["startsAt"]?.text ?? "-")=\($0["status"]?.text ?? "-")" }.sorted()
        return AlertNotice(
            source: .alertmanager, groupKey: groupKey, deliveryID: "am:\(groupKey):\(status):\(states.joined(separator: ","))",
            kind: status == "resolved" ? .resolved : .firing, event: status,
            title: commonAnnotations["summary"] ?? commonLabels["alertname"] ?? groupLabels["alertname"] ?? "Alertmanager alert",
            firingCount: alerts.count - resolved + truncated, resolvedCount: resolved, labels: commonLabels.merging(groupLabels) { common, _ in common },
            annotations: commonAnnotations, startedAt: alerts.compactMap { $0["startsAt"]?.text }.min(), links: Array(links), actor: nil)
    }
}
