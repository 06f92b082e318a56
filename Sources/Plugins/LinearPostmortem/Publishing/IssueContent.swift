import CasebookKit
import Postmortem

extension LinearPostmortemPlugin {
    /// The issue for a case as Casebook recorded it when the call runs: "Postmortem: <case title>",
    /// the description rendered from the ``PostmortemDocument`` (every value escaped for Markdown),
    /// the priority of its severity, the labels, and the due date `due_in` after the resolution.
    func newIssue(for record: PostmortemRecord, _ document: PostmortemDocument, _ context: PluginContext) -> LinearAPI.NewIssue {
        LinearAPI.NewIssue(
            id: record.issueID, teamID: configuration.teamID, projectID: configuration.projectID, title: "Postmortem: \(document.title)",
            description: template.render(document), priority: configuration.priority(for: document.severity?.id),
            labelIDs: configuration.labelIDs, dueDate: dueDate(from: document.resolvedAt ?? context.clock.now()))
    }

    /// The case's postmortem document; a case that no longer exists cannot have one, and retrying will not change that.
    func document(of caseID: String, _ context: PluginContext) async throws -> PostmortemDocument {
        guard let document = try await PostmortemDocument.load(caseID: caseID, context: context) else {
            throw PermanentJobFailure("the case \(caseID) no longer exists")
        }
        return document
    }

    /// `due_in` after `start`, as Linear's `TimelessDate` (`YYYY-MM-DD`, UTC).
    func dueDate(from start: Date) -> String? {
        guard let dueIn = configuration.dueIn else { return nil }
        return PostmortemFormat.day(start.addingTimeInterval(TimeInterval(dueIn.duration.components.seconds)))
    }

    /// The case's RCA channel, when the roles plugin has opened one.
    func rcaChannel(of caseID: String, _ context: PluginContext) async -> String? {
        await context.extensions.collect(PostmortemSources.incidentDetails, caseID, logger: context.logger).flatMap { $0 }.first?.rcaChannel
    }
}
