import CasebookKit

/// A customer-facing update as it would be published: the approval gate's payload, so its content
/// hash covers every word and component status an approver sees.
struct Draft: Codable, Sendable, Equatable {
    /// Realtime incident statuses, in the order an incident moves through them.
    enum Status: String, Codable, Sendable, CaseIterable {
        case investigating, identified, monitoring, resolved

        var label: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    var caseID: String
    var channelID: String
    var name: String
    var status: Status
    var body: String
    /// Component id → status (`operational` … `major_outage`).
    var components: [String: String]
    /// Component id → name, as listed when the draft was written (shown in the draft message).
    var componentNames: [String: String]
    var deliverNotifications: Bool

    /// Statuspage's limit on an incident name.
    static let maximumName = 255
    /// Slack's `plain_text_input` holds 3,000 characters (Statuspage would take 25,000).
    static let maximumBody = 3_000
    static let componentStatuses = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]

    static func componentLabel(_ status: String) -> String {
        switch status {
        case "operational": "Operational"
        case "degraded_performance": "Degraded performance"
        case "partial_outage": "Partial outage"
        case "major_outage": "Major outage"
        case "under_maintenance": "Under maintenance"
        default: status
        }
    }

    /// The approval kind of every draft.
    static let kind = "statuspage.publish"

    init(
        caseID: String, channelID: String, name: String, status: Status, body: String, components: [String: String] = [:],
        componentNames: [String: String] = [:], deliverNotifications: Bool
    ) {
        self.caseID = caseID
        self.channelID = channelID
        self.name = name
        self.status = status
        self.body = body
        self.components = components
        self.componentNames = componentNames
        self.deliverNotifications = deliverNotifications
    }

    init(_ approval: Approval) throws {
        self = try approval.payload.decode(as: Draft.self)
    }

    var payload: JSONValue {
        get throws { try JSONValue.from(self) }
    }

    /// The same draft with every affected component back to `operational` (resolving).
    func allOperational() -> Draft {
        var copy = self
        copy.components = components.mapValues { _ in "operational" }
        return copy
    }
}
