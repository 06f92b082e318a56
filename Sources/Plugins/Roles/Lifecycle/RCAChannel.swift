import CasebookKit
import CasesPlugin

/// With `rca_channel: true`, resolving an incident opens `<case-channel>-rca` for the root cause
/// analysis: the commander and the holders of roles marked `invite_to_rca` are invited, and the
/// channel starts with a link to the case channel and the incident's timeline.
extension RolesPlugin {
    static let rcaNameAttempts = 5

    func openRCAChannel(_ item: Case, _ context: PluginContext) async throws {
        guard let incident = try await loadIncident(item.id, context), incident.rcaChannel == nil else { return }
        let channel = try await createRCAChannel(named: String("\(item.name)-rca".prefix(80)), context)
        try await context.storage.transaction { tx in
            try await IncidentStore.setRCAChannel(caseID: item.id, channel.id, on: tx.sql)
            try await tx.audit.record(
                actor: "casebook", action: "roles.rca_channel_created", subject: item.id,
                details: ["channel": .string(channel.id), "name": .string(channel.name)])
        }
        let invitees = configuration.roles.roles.filter { $0.isCommander || $0.inviteToRCA }
            .compactMap { Self.holder(of: $0, item, incident) }
            .filter { $0 != context.installation.botUserID }
        if !invitees.isEmpty {
            do { try await context.slack.invite(channel: channel.id, users: invitees) } catch {
                context.logger.warning("RCA invitations failed", metadata: ["case": "\(item.id)", "error": "\(error)"])
            }
        }
        let timeline = (try? await context.audit.entries(subject: item.id)) ?? []
        var lines = [
            "📝 *Root cause analysis* of *\(SlackText.escaped(item.title))* — the incident channel is \(SlackText.channel(item.channelID)).",
            "*Severity:* \(configuration.severityName(incident.severity)) · *Commander:* \(SlackText.user(item.commander))",
            "*Timeline:*",
        ]
        lines += timeline.suffix(60).map { entry in
            "• \(SlackText.date(entry.at)) \(SlackText.user(entry.actor == "casebook" ? nil : entry.actor)) \(entry.action)\(Self.detail(entry.details))"
        }
        await announce(Message(SlackText.truncated(lines.joined(separator: "\n"), to: 39_000)), in: channel.id, context)
        await announce(Message("📝 The root cause analysis continues in \(SlackText.channel(channel.id))."), in: item.channelID, context)
    }

    func createRCAChannel(named base: String, _ context: PluginContext) async throws -> Channel {
        for attempt in 1...Self.rcaNameAttempts {
            let name = attempt == 1 ? base : "\(base.prefix(77))-\(attempt)"
            do {
                return try await context.slack.createChannel(name: name)
            } catch let error as SlackAPIError where error.code == "name_taken" {
                continue
            }
        }
        throw UserFacingError("Every RCA channel name I tried for \(base) is taken.")
    }

    /// A few words of an audit entry's details (`sev4 → sev1`, the role and its holder).
    static func detail(_ details: JSONValue) -> String {
        if let to = details["to"]?.string {
            return ": " + (details["from"]?.string.map { "\($0) → " } ?? "") + SlackText.escaped(to)
        }
        if let role = details["role"]?.string, let user = details["user"]?.string { return ": \(role) \(SlackText.user(user))" }
        if let impact = details["impact"]?.string { return ": \(SlackText.escaped(SlackText.truncated(impact, to: 120)))" }
        return ""
    }
}
