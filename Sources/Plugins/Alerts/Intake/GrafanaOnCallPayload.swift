import CasebookKit

/// Reads a Grafana OnCall outgoing webhook's "Forward All" event object. Only `alert_group.id` (or
/// `alert_group_id`) and `event.type` are required; everything else may be missing or null.
enum GrafanaOnCallPayload {
    static func notice(from body: [String: JSONValue]) throws -> AlertNotice {
        let group = body["alert_group"]?.object ?? [:]
        guard let id = group["id"]?.text ?? body["alert_group_id"]?.text else {
            throw WebhookRejection.badRequest("the body has no 'alert_group.id'")
        }
        guard let type = body["event"]?["type"]?.text else { throw WebhookRejection.badRequest("the body has no 'event.type'") }
        let state = group["state"]?.text
        let payload = body["alert_payload"]?.object ?? [:]
        var labels = (payload["commonLabels"]?.object ?? payload["labels"]?.object ?? [:]).stringValues
        labels.merge(Self.labels(group["labels"]), uniquingKeysWith: { _, oncall in oncall })
        let annotations = (payload["commonAnnotations"]?.object ?? payload["annotations"]?.object ?? [:]).stringValues
        let firstAlert = payload["alerts"]?[0]?.object ?? [:]
        let links = [
            group["permalinks"]?["web"]?.text, payload["generatorURL"]?.text ?? firstAlert["generatorURL"]?.text, payload["externalURL"]?.text,
        ].compactMap { $0 }
        let user = body["user"]
        let actor = user?["username"]?.text ?? user?["email"]?.text
            ?? (kind(type, state) == .acknowledged ? group["acknowledged_by"]?.text : group["resolved_by"]?.text)
        let count = group["alerts_count"]?.int ?? 1
        let kind = kind(type, state)
        return AlertNotice(
            source: .grafanaOnCall, groupKey: id, deliveryID: "oncall:\(id):\(type):\(body["event"]?["time"]?.text ?? "")",
            kind: kind, event: type, title: group["title"]?.text ?? labels["alertname"] ?? "Alert group \(id)",
            firingCount: kind == .resolved ? 0 : count, resolvedCount: kind == .resolved ? count : 0, labels: labels,
            annotations: annotations, startedAt: group["created_at"]?.text, links: links, actor: actor)
    }

    /// The event type decides, and the group's state for `status change` or a type we do not know.
    static func kind(_ type: String, _ state: String?) -> AlertNotice.Kind {
        switch type {
        case "alert group created", "escalation", "unresolve", "unacknowledge", "unsilence": return .firing
        case "resolve": return .resolved
        case "acknowledge": return .acknowledged
        case "silence": return .other
        default:
            switch state {
            case "firing": return .firing
            case "resolved": return .resolved
            case "acknowledged": return .acknowledged
            default: return .other
            }
        }
    }

    /// OnCall labels as an object, or as `[{key: {name}, value: {name}}]`.
    static func labels(_ value: JSONValue?) -> [String: String] {
        if let object = value?.object { return object.stringValues }
        var labels: [String: String] = [:]
        for entry in value?.array ?? [] {
            guard let key = entry["key"]?["name"]?.text ?? entry["key"]?.text,
                  let value = entry["value"]?["name"]?.text ?? entry["value"]?.text else { continue }
            labels[key] = value
        }
        return labels
    }
}
