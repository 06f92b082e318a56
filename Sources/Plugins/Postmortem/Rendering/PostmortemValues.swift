import CasebookKit

extension PostmortemDocument {
    /// The names a postmortem template can use. Times are UTC (`2026-12-06 14:05 UTC`), durations
    /// read at a glance (`2h 15m`); a value that does not exist is absent, so `{{#resolved_at}}…{{/resolved_at}}`
    /// and `{{^roles}}…{{/roles}}` show or hide parts.
    ///
    /// - `title`, `case_id`, `status`, `day` (`2026-12-06`), `opened_at`, `opened_by`, `escalated_at`,
    ///   `resolved_at`, `resolved_by`, `time_to_escalate`, `time_to_resolve`
    /// - `severity.id` / `.name` / `.definition`; `commander.name` / `.id`
    /// - `roles[]`: `role`, `role_name`, `name`
    /// - `updates[]`: `at`, `author`, `impact`, `components`, `text`
    /// - `evidence[]`: `url`, `added_at`, `added_by`
    /// - `timeline[]`: `at`, `actor`, `text`
    /// - `case_channel.name` / `.url` / `.id`; `rca_channel.*` likewise
    /// - `impact`, `root_cause`, `actions`: the sections people fill in (empty)
    public var templateValues: MustacheValue {
        var fields: [String: MustacheValue] = [
            "title": .text(title), "case_id": .text(caseID), "status": .text(status), "day": .text(day),
            "opened_at": .text(PostmortemFormat.time(openedAt)), "opened_by": .text(openedBy.name),
            "roles": .list(roles.map { ["role": .text($0.role), "role_name": .text($0.roleName), "name": .text($0.person.name)] }),
            "updates": .list(updates.map { update in
                var item: [String: MustacheValue] = [
                    "at": .text(PostmortemFormat.time(update.at)), "author": .text(update.author.name), "impact": .text(update.impact),
                    "text": .text(update.text),
                ]
                if let components = update.components { item["components"] = .text(components) }
                return .object(item)
            }),
            "evidence": .list(evidence.map {
                ["url": .text($0.url), "added_at": .text(PostmortemFormat.time($0.addedAt)), "added_by": .text($0.addedBy.name)]
            }),
            "timeline": .list(timeline.map { ["at": .text(PostmortemFormat.time($0.at)), "actor": .text($0.actor.name), "text": .text($0.text)] }),
            "case_channel": Self.values(caseChannel),
            "impact": .text(impact), "root_cause": .text(rootCause), "actions": .text(actions),
        ]
        fields["escalated_at"] = escalatedAt.map { .text(PostmortemFormat.time($0)) }
        fields["resolved_at"] = resolvedAt.map { .text(PostmortemFormat.time($0)) }
        fields["resolved_by"] = resolvedBy.map { .text($0.name) }
        fields["time_to_escalate"] = timeToEscalate.map { .text(PostmortemFormat.duration($0)) }
        fields["time_to_resolve"] = timeToResolve.map { .text(PostmortemFormat.duration($0)) }
        fields["severity"] = severity.map { ["id": .text($0.id), "name": .text($0.name), "definition": .text($0.definition)] }
        fields["commander"] = commander.map { ["id": .text($0.id), "name": .text($0.name)] }
        fields["rca_channel"] = rcaChannel.map(Self.values)
        return .object(fields)
    }

    static func values(_ channel: ChannelLink) -> MustacheValue {
        var fields: [String: MustacheValue] = ["id": .text(channel.id), "url": .text(channel.url)]
        fields["name"] = .text(channel.name.map { "#\($0)" } ?? channel.id)
        return .object(fields)
    }
}
