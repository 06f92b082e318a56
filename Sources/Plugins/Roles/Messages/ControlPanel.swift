import CasebookKit
import CasesPlugin

/// The incident's control panel, pinned in the case channel: severity and status selects, a users
/// select per role, claim buttons, the update button, and buttons other plugins contribute through
/// ``RolesPlugin/panelButtons``. Rebuilt from state and updated in place.
enum ControlPanel {
    static func make(_ item: Case, _ incident: Incident, _ configuration: RolesPlugin.Configuration, extraButtons: [Element] = []) -> Message {
        let scale = configuration.severities
        let level = scale.level(incident.severity)
        let severityName = configuration.severityName(incident.severity)
        let options = scale.levels.map { Option($0.name, value: $0.id, description: SlackText.truncated($0.description, to: 75)) }
        let statusOptions = IncidentStatus.allCases.map { Option("\($0.emoji) \($0.label)", value: $0.rawValue) }
        let roles = configuration.roles.roles
        let text = "Incident control panel: \(severityName) · \(incident.status.label)"
        return Message(text) {
            Block.header("🚨 Incident control panel", blockID: "panel_header")
            Block.section(
                "*Severity:* \(Words.severityEmoji(rank: scale.rank(incident.severity))) *\(severityName)*"
                    + (level.map { " — \(SlackText.escaped($0.description))" } ?? ""),
                accessory: .staticSelect(
                    actionID: ActionID.severity.wire, placeholder: "Change severity", options: options,
                    initial: options.first { $0.value == incident.severity }),
                blockID: "panel_severity")
            Block.section(
                "*Status:* \(incident.status.emoji) *\(incident.status.label)*",
                accessory: .staticSelect(
                    actionID: ActionID.status.wire, placeholder: "Change status", options: statusOptions,
                    initial: statusOptions.first { $0.value == incident.status.rawValue }),
                blockID: "panel_status")
            for role in roles {
                let holder = RolesPlugin.holder(of: role, item, incident)
                Block.section(
                    "*\(SlackText.escaped(role.name)):* \(SlackText.user(holder))\n_\(SlackText.escaped(SlackText.truncated(role.description, to: 500)))_",
                    accessory: .usersSelect(actionID: ActionID.assign(role.id).wire, placeholder: "Assign", initialUser: holder),
                    blockID: "panel_role_\(role.id)")
            }
            Block.actions(
                roles.map { .button(SlackText.truncated("Claim: \($0.name)", to: 75), actionID: ActionID.claim($0.id).wire, value: item.id) }
                    + [.button("📝 Post update", actionID: ActionID.openUpdate.wire, value: item.id, style: .primary)]
                    + extraButtons,
                blockID: "panel_actions")
            Block.context([.markdown(reminderLine(incident, configuration))], blockID: "panel_reminders")
        }
    }

    static func reminderLine(_ incident: Incident, _ configuration: RolesPlugin.Configuration) -> String {
        if incident.status == .resolved { return "Resolved: no more update reminders." }
        guard configuration.reminds(incident.severity) else {
            return "No update reminders at \(configuration.severityName(incident.severity))."
        }
        if incident.silenced {
            return incident.silencedUntil.map { "🔕 Reminders paused until \(SlackText.date($0))." }
                ?? "🔕 Reminders paused until the severity changes or an update is posted."
        }
        return "⏰ Without an update for \(configuration.firstReminder), the commander is reminded, then every \(configuration.reminderInterval)."
    }
}
