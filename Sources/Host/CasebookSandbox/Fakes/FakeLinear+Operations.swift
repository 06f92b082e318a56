import CasebookKit
import Foundation
import Synchronization

/// The root fields the fake serves: `issueCreate`, `issue(id:)`, `viewer`, `teams`, `team(id:)`,
/// `issueLabels` and `projects`.
extension FakeLinear.Workspace {
    func resolve(_ field: GraphQL.Field, variables: [String: JSONValue], at now: Date) -> Result<JSONValue, Failure> {
        let argument = { (name: String) in field.arguments[name]?.resolved(variables) }
        switch field.name {
        case "issueCreate":
            return create(argument("input") ?? .null, at: now)
        case "issue":
            let id = argument("id")?.string ?? ""
            let found = ledger.withLock { ledger in ledger.issues.first { $0.id == id || $0.identifier == id } }
            guard let found else { return .failure(Self.invalidInput("Entity not found: Issue")) }
            return .success(json(found))
        case "viewer":
            return .success(viewer.json)
        case "teams":
            return .success(["nodes": .array(teams.map(\.json))])
        case "team":
            let id = argument("id")?.string ?? ""
            guard let team = teams.first(where: { $0.id == id }) else { return .failure(Self.invalidInput("Entity not found: Team")) }
            return .success(team.json)
        case "issueLabels":
            return .success(["nodes": .array(labels.map(\.json))])
        case "projects":
            return .success(["nodes": .array(projects.map(\.json))])
        default:
            return .failure(Failure(json: Self.error("Cannot query field \"\(field.name)\".", type: "graphql error", code: "GRAPHQL_VALIDATION_FAILED")))
        }
    }

    /// `issueCreate(input:)` after its input fitted `IssueCreateInput`: the checks Linear makes on
    /// the values, then the issue, numbered within its team.
    private func create(_ input: JSONValue, at now: Date) -> Result<JSONValue, Failure> {
        let teamID = input["teamId"]?.string ?? ""
        guard let team = teams.first(where: { $0.id == teamID }) else { return .failure(Self.invalidInput("Entity not found: Team")) }
        let title = input["title"]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty, input["templateId"]?.string == nil {
            return .failure(Self.invalidInput("Argument Validation Error: title should not be empty"))
        }
        let priority = input["priority"]?.int ?? 0
        guard (0...4).contains(priority) else {
            return .failure(Self.invalidInput("Argument Validation Error: priority must be between 0 (no priority) and 4 (low)"))
        }
        let projectID = input["projectId"]?.string
        if let projectID, !projects.contains(where: { $0.id == projectID }) { return .failure(Self.invalidInput("Entity not found: Project")) }
        let labelIDs = input["labelIds"]?.array?.compactMap(\.string) ?? []
        for id in labelIDs where !labels.contains(where: { $0.id == id }) { return .failure(Self.invalidInput("Entity not found: IssueLabel")) }
        let dueDate = input["dueDate"]?.string
        if let dueDate, !Self.isDate(dueDate) {
            return .failure(Self.invalidInput("Argument Validation Error: dueDate must be a date (YYYY-MM-DD)"))
        }
        let chosenID = input["id"]?.string
        if let chosenID, !FakeLinearSchema.isUUID(chosenID) {
            return .failure(Self.invalidInput("Argument Validation Error: id must be a UUID"))
        }
        let created = ledger.withLock { ledger -> (FakeLinear.Issue, Int)? in
            // Linear's exact words for a reused id are unverified (integrations.md §8); refusing is what matters.
            if let chosenID, ledger.issues.contains(where: { $0.id.lowercased() == chosenID.lowercased() }) { return nil }
            let number = ledger.issues.filter { $0.teamID == team.id }.count + 1
            let identifier = "\(team.key)-\(number)"
            let issue = FakeLinear.Issue(
                id: chosenID?.lowercased() ?? UUID().uuidString.lowercased(), number: number, identifier: identifier,
                url: "https://linear.app/\(organization)/issue/\(identifier)/\(FakeLinear.slug(title))", title: title,
                description: input["description"]?.string, priority: priority, teamID: team.id, projectID: projectID, labelIDs: labelIDs,
                dueDate: dueDate, createdAt: now, creatorID: viewer.id)
            ledger.issues.append(issue)
            ledger.lastSyncID += 1
            return (issue, ledger.lastSyncID)
        }
        guard let (issue, syncID) = created else {
            return .failure(Self.invalidInput("Argument Validation Error: an issue with this id already exists"))
        }
        return .success(["success": true, "lastSyncId": .number(Double(syncID)), "issue": json(issue)])
    }

    private func json(_ issue: FakeLinear.Issue) -> JSONValue {
        issue.json(team: teams.first { $0.id == issue.teamID }, project: issue.projectID.flatMap { id in projects.first { $0.id == id } })
    }

    /// `YYYY-MM-DD`, the form a client sends a `TimelessDate` in.
    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [4, 2, 2], let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
