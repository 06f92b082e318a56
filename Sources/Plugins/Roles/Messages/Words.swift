import CasebookKit

/// Text helpers of the Roles messages; the general ones are Kit's ``SlackText``.
enum Words {
    static func severityEmoji(rank: Int?) -> String {
        switch rank {
        case 0: return "🔴"
        case 1: return "🟠"
        case 2: return "🟡"
        default: return "🔵"
        }
    }
}
