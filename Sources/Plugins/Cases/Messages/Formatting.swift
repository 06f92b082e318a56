import CasebookKit

/// Text helpers of the Cases messages; the general ones are Kit's ``SlackText``.
enum Formatting {
    static func percent(_ ratio: Double) -> String {
        "\(Int((ratio * 100).rounded()))%"
    }

    static func statusEmoji(_ status: Case.Status) -> String {
        switch status {
        case .investigating: return "🔍"
        case .escalated: return "🚨"
        case .resolved: return "✅"
        case .closed: return "📁"
        }
    }
}
