import CasebookKit
import CasesPlugin

extension PostmortemDocument {
    /// Builds the postmortem of `caseID` from what Casebook recorded; nil when there is no such case
    /// (or the Cases plugin is not enabled). Reads the case through ``CaseDirectory``, the audit
    /// timeline, and the roles plugin's ``PostmortemSources/incidentDetails`` when it answers; looks
    /// people's names up with `users.info` (the calling plugin declares `users:read`). Works from a
    /// durable job: it reads everything afresh from `context`.
    public static func load(caseID: String, context: PluginContext) async throws -> PostmortemDocument? {
        guard let item = await CaseDirectory(context: context).case(id: caseID) else { return nil }
        // Details first, then the timeline: an RCA channel the details name is then always on the
        // timeline too, with its name.
        let details = await context.extensions.collect(PostmortemSources.incidentDetails, caseID, logger: context.logger).flatMap { $0 }.first
        let entries = try await context.audit.entries(subject: caseID)
        return await make(item, entries: entries, details: details, team: context.installation.teamID, slack: context.slack, logger: context.logger)
    }

    /// The document from already-read parts; names come from `slack`.
    static func make(
        _ item: Case, entries: [AuditEntry], details: IncidentDetails?, team: String, slack: any SlackAPI, logger: Logger
    ) async -> PostmortemDocument {
        var ids = [item.openedBy]
        ids += [item.resolvedBy, item.commander].compactMap { $0 }
        ids += details?.roles.compactMap(\.holder) ?? []
        ids += entries.map(\.actor)
        ids += entries.compactMap { $0.details["to"]?.string ?? $0.details["user"]?.string }.filter { $0.hasPrefix("U") || $0.hasPrefix("W") }
        let people = await SlackNames(slack: slack, logger: logger).names(for: ids)
        func person(_ id: String) -> Person { people[id] ?? Person(id: id, name: id) }

        var roles: [RoleHolder] = []
        if let details {
            roles = details.roles.compactMap { role in role.holder.map { RoleHolder(role: role.id, roleName: role.name, person: person($0)) } }
        } else if let commander = item.commander {
            roles = [RoleHolder(role: "commander", roleName: "Incident Commander", person: person(commander))]
        }
        let updates = entries.filter { $0.action == "roles.update_posted" }.map { entry in
            StatusUpdate(
                at: entry.at, author: person(entry.actor), impact: entry.details["impact"]?.string ?? "",
                components: entry.details["components"]?.string, text: entry.details["text"]?.string ?? "")
        }
        let evidence = entries.filter { $0.action == "case.evidence_added" }.compactMap { entry in
            entry.details["permalink"]?.string.map { EvidenceLink(url: $0, addedAt: entry.at, addedBy: person(entry.actor)) }
        }
        let words = TimelineWords(people: people, roleNames: Dictionary(details?.roles.map { ($0.id, $0.name) } ?? [], uniquingKeysWith: { first, _ in first }),
                                  severityNames: details?.severityNames ?? [:])
        let timeline = entries.map { TimelineEntry(at: $0.at, actor: person($0.actor), text: words.describe($0)) }
        let rcaEntry = entries.last { $0.action == "roles.rca_channel_created" }
        let rcaID = details?.rcaChannel ?? rcaEntry?.details["channel"]?.string
        let rca = rcaID.map { id in
            ChannelLink.slack(id: id, name: rcaEntry?.details["channel"]?.string == id ? rcaEntry?.details["name"]?.string : nil, team: team)
        }
        var document = PostmortemDocument(
            caseID: item.id, title: item.title, status: item.status.label, openedAt: item.openedAt, openedBy: person(item.openedBy),
            escalatedAt: item.escalatedAt, resolvedAt: item.resolvedAt, resolvedBy: item.resolvedBy.map(person), severity: details?.severity,
            commander: item.commander.map(person), roles: roles, updates: updates, evidence: evidence, timeline: timeline,
            caseChannel: .slack(id: item.channelID, name: item.name, team: team), rcaChannel: rca)
        document.rcaChannelExpected = rca == nil && details?.opensRCAChannel == true
        return document
    }
}
