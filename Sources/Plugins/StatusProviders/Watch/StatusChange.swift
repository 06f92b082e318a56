import CasebookKit

/// What changed at a provider between two polls, in the terms the watch posts: the overall
/// indicator, and each unresolved incident that is new, has a new update, or is gone (resolved).
/// Components and maintenances alone do not make a post: they follow incidents.
struct StatusChange: Sendable, Equatable {
    enum Line: Sendable, Equatable {
        case indicator(from: ProviderStatus, to: ProviderStatus)
        case opened(ProviderStatus.Incident)
        case updated(ProviderStatus.Incident)
        case resolved(ProviderStatus.Incident)
    }

    var lines: [Line]

    /// Nil when nothing worth a post changed.
    static func between(_ old: ProviderStatus, _ new: ProviderStatus) -> StatusChange? {
        var lines: [Line] = []
        if old.indicator != new.indicator { lines.append(.indicator(from: old, to: new)) }
        let before = Dictionary(old.incidents.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(new.incidents.map(\.id))
        for incident in new.incidents {
            if let previous = before[incident.id] {
                if previous.status != incident.status || previous.latestUpdate != incident.latestUpdate || previous.updatedAt != incident.updatedAt {
                    lines.append(.updated(incident))
                }
            } else {
                lines.append(.opened(incident))
            }
        }
        for incident in old.incidents where !after.contains(incident.id) { lines.append(.resolved(incident)) }
        return lines.isEmpty ? nil : StatusChange(lines: lines)
    }

    func message(for provider: Provider) -> Message {
        let title = "<\(provider.pageURL)|\(SlackText.escaped(provider.title))>"
        let text = lines.map { line -> String in
            switch line {
            case .indicator(let from, let to):
                "\(to.indicator.emoji) *\(title)*: \(SlackText.escaped(from.description)) → *\(SlackText.escaped(to.description))*"
            case .opened(let incident): "🆕 *\(title)* new incident: " + SnapshotMessage.describe(incident)
            case .updated(let incident): "📝 *\(title)* update: " + SnapshotMessage.describe(incident)
            case .resolved(let incident): "✅ *\(title)* resolved: \(incident.link.map { "<\($0)|\(SlackText.escaped(incident.name))>" } ?? SlackText.escaped(incident.name))"
            }
        }.joined(separator: "\n")
        return Message(SlackText.truncated("\(provider.title) status changed: \(lines.count) change\(lines.count == 1 ? "" : "s")", to: 3_000)) {
            Block.section(SlackText.truncated(text, to: 3_000))
        }
    }
}
