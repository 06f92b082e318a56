import CasebookKit
import CasesPlugin
import RolesPlugin

/// Who may approve a case's draft, resolved now: `commander` is the case's commander (the Cases
/// plugin's, one source of truth), other role ids are their holders in the roles plugin, and
/// anything that looks like a Slack user id is that user.
struct Approvers: Sendable, Equatable {
    /// A configured name with the people it stands for now (none when the role is vacant).
    struct Entry: Sendable, Equatable {
        var name: String
        var users: [String]
    }

    var entries: [Entry]

    /// The user ids the gate should let approve.
    var allowed: Set<String> { Set(entries.flatMap(\.users)) }

    static func resolve(_ names: [String], caseID: String, _ context: PluginContext) async -> Approvers {
        let item = await CaseDirectory(context: context).case(id: caseID)
        let needsRoles = names.contains { !isUserID($0) && $0 != IncidentRole.commanderID }
        let holders = needsRoles
            ? await context.extensions.collect(RolesPlugin.roleHolders, caseID, logger: context.logger).reduce(into: [String: String]()) { $0.merge($1) { first, _ in first } }
            : [:]
        return Approvers(entries: names.map { name in
            if isUserID(name) { return Entry(name: name, users: [name]) }
            if name == IncidentRole.commanderID { return Entry(name: name, users: item?.commander.map { [$0] } ?? []) }
            return Entry(name: name, users: holders[name].map { [$0] } ?? [])
        })
    }

    /// `U0ALICE`, `W012ABC`: Slack user ids are upper-case letters and digits starting with U or W.
    static func isUserID(_ text: String) -> Bool {
        guard let first = text.first, first == "U" || first == "W", text.count >= 3 else { return false }
        return text.allSatisfy { ($0.isUppercase && $0.isASCII) || $0.isNumber }
    }

    /// "the incident commander (@alice)", "comms (nobody yet)", "@bob", joined with "or".
    var description: String {
        entries.map { entry in
            let people = entry.users.map { SlackText.user($0) }.joined(separator: ", ")
            if Self.isUserID(entry.name) { return people }
            let role = entry.name == IncidentRole.commanderID ? "the incident commander" : "`\(entry.name)`"
            return "\(role) (\(people.isEmpty ? "nobody yet" : people))"
        }.joined(separator: " or ")
    }
}
