import CasebookKit
import CasesPlugin
import RolesPlugin

extension LinearPostmortemPlugin {
    /// The issue for a case as it stands now: title, description, priority by severity, labels, due date.
    func newIssue(for record: PostmortemRecord, _ context: PluginContext) async throws -> LinearAPI.NewIssue {
        guard let item = await CaseDirectory(context: context).case(id: record.caseID) else {
            throw PermanentJobFailure("the case \(record.caseID) no longer exists")
        }
        let severity = await context.extensions.collect(RolesPlugin.severityOfCase, item.id, logger: context.logger).flatMap { $0 }.first
        let description = PostmortemTemplate.render(configuration.template, values: [
            "title": item.title, "severity": severity ?? "none", "commander": item.commander ?? "nobody",
        ])
        return LinearAPI.NewIssue(
            id: record.issueID, teamID: configuration.teamID, projectID: configuration.projectID, title: "Postmortem: \(item.title)",
            description: description, priority: configuration.priority(for: severity), labelIDs: configuration.labelIDs,
            dueDate: dueDate(from: item.resolvedAt ?? context.clock.now()))
    }

    /// `due_in` after `start`, as Linear's `TimelessDate` (`YYYY-MM-DD`, UTC).
    func dueDate(from start: Date) -> String? {
        guard let dueIn = configuration.dueIn else { return nil }
        let due = start.addingTimeInterval(TimeInterval(dueIn.duration.components.seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: due)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The case's RCA channel, when the roles plugin opened one.
    func rcaChannel(of caseID: String, _ context: PluginContext) async -> String? {
        nil
    }
}

extension PostmortemTemplate {
    static func render(_ template: String, values: [String: String]) -> String {
        Template(template).render(values)
    }
}
