import CasebookKit

/// One accepted delivery, in the same words for either sender: what the durable job acts on.
struct AlertNotice: Codable, Sendable, Equatable {
    enum Source: String, Codable, Sendable {
        case grafanaOnCall = "grafana_oncall"
        case alertmanager

        var name: String { self == .grafanaOnCall ? "Grafana OnCall" : "Alertmanager" }
    }

    /// What the delivery says happened to the alert group.
    enum Kind: String, Codable, Sendable {
        case firing, resolved, acknowledged
        /// Silenced and the like: recorded, nothing posted.
        case other
    }

    var source: Source
    /// OnCall `alert_group.id`, Alertmanager `groupKey`: one case per group.
    var groupKey: String
    /// The same event delivered twice has the same id and is ignored the second time.
    var deliveryID: String
    var kind: Kind
    /// The sender's word for the event (`alert group created`, `escalation`, `firing`…).
    var event: String
    var title: String
    var firingCount: Int
    var resolvedCount: Int
    var labels: [String: String]
    var annotations: [String: String]
    var startedAt: String?
    var links: [String]
    /// Who acknowledged or resolved, when the sender says.
    var actor: String?
}

extension [String: JSONValue] {
    /// The string values of an object (numbers and booleans written out); others are skipped.
    var stringValues: [String: String] {
        var strings: [String: String] = [:]
        for (key, value) in self {
            switch value {
            case .string(let text): strings[key] = text
            case .number(let number): strings[key] = number.rounded() == number ? String(Int(number)) : String(number)
            case .bool(let flag): strings[key] = String(flag)
            default: break
            }
        }
        return strings
    }
}

extension JSONValue {
    /// A non-empty string, or nil.
    var text: String? {
        guard let value = string?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
