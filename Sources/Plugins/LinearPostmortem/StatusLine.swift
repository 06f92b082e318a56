import CasebookKit
import CasesPlugin

extension LinearPostmortemPlugin {
    /// The `/case status` line: the postmortem issue, or that it is on its way, and the last error.
    func statusLines(_ item: Case, _ context: PluginContext) async throws -> [String] {
        guard let record = try await context.storage.read({ db in try await PostmortemStore.find(caseID: item.id, on: db) }) else { return [] }
        if record.isCreated {
            let when = record.createdAt.map { " · created \(SlackText.date($0))" } ?? ""
            return ["*Linear postmortem:* \(Self.link(record))\(when)"]
        }
        var lines = ["*Linear postmortem:* being created (asked by \(SlackText.user(record.requestedBy == "casebook" ? nil : record.requestedBy)))"]
        if let error = record.lastError { lines.append("*Linear last error:* \(SlackText.escaped(error))") }
        return lines
    }
}
