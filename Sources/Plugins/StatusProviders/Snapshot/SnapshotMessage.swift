import CasebookKit

/// The snapshot as Slack shows it: one compact section per provider (indicator and description,
/// components that are not operational, unresolved incidents with their latest update and link,
/// active maintenances), when it was read, and a Refresh button.
enum SnapshotMessage {
    /// Which providers a snapshot shows.
    enum Selection: String, Sendable, Codable {
        /// Every watched provider (`/case vendors`).
        case all
        /// Only those that are not fully operational, or one "all operational" line (escalation).
        case attention
    }

    /// Where the message lives, so Refresh knows how to update it.
    enum Placement: String, Sendable, Codable {
        /// A message in a channel: `chat.update`.
        case channel
        /// An ephemeral reply: replaced through the click's `response_url`.
        case ephemeral
    }

    static let headerBlock = "status_providers_header"

    static func make(
        _ providers: [Provider], _ readings: [ProviderReading], selection: Selection, placement: Placement, at date: Date
    ) -> Message {
        let pairs = Array(zip(providers, readings))
        let shown = selection == .all ? pairs : pairs.filter { $0.1.status?.isOperational != true }
        let troubled = pairs.filter { $0.1.status?.isOperational != true }.count
        let summary = troubled == 0
            ? "All \(providers.count) watched providers operational"
            : "\(troubled) of \(providers.count) watched providers not operational"
        let refresh = Element.button("Refresh", actionID: ActionID.refresh.wire, value: "\(selection.rawValue):\(placement.rawValue)")
        let sections = selection == .attention && troubled == 0
            ? [] : shown.map { Block.section(SlackText.truncated(section($0.0, $0.1), to: 3_000)) }
        return Message("Vendor status: \(summary)") {
            Block.section("*Vendor status* — \(summary)", blockID: headerBlock)
            sections
            Block.context([.markdown("Read \(SlackText.date(date)) · answers are reused for up to a minute")])
            Block.actions([refresh])
        }
    }

    /// One provider's lines.
    static func section(_ provider: Provider, _ reading: ProviderReading) -> String {
        let title = "<\(provider.pageURL)|\(SlackText.escaped(provider.title))>"
        guard let status = reading.status else {
            if case .unknown(let why) = reading { return "⚪ *\(title)* — status unknown (\(SlackText.escaped(why)))" }
            return "⚪ *\(title)* — status unknown"
        }
        var lines = ["\(status.indicator.emoji) *\(title)* — \(SlackText.escaped(status.description))"]
        if !status.components.isEmpty {
            let items = status.components.prefix(8).map { "\(SlackText.escaped($0.name)) (\($0.status.replacingOccurrences(of: "_", with: " ")))" }
            lines.append("Components: " + items.joined(separator: ", ") + (status.components.count > 8 ? ", and \(status.components.count - 8) more" : ""))
        }
        for incident in status.incidents.prefix(5) { lines.append("• " + describe(incident)) }
        for maintenance in status.maintenances.prefix(3) {
            lines.append("🔧 Maintenance: " + describe(maintenance) + (maintenance.scheduledUntil.map { ", until \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ incident: ProviderStatus.Incident) -> String {
        let name = SlackText.escaped(incident.name)
        var text = incident.link.map { "<\($0)|\(name)>" } ?? name
        text += " — \(incident.status.replacingOccurrences(of: "_", with: " "))"
        if let update = incident.latestUpdate, !update.isEmpty {
            text += ": " + SlackText.escaped(SlackText.truncated(update.replacingOccurrences(of: "\n", with: " "), to: 300))
        }
        if let at = incident.updatedAt { text += " (\(at))" }
        return text
    }
}
