import CasebookKit
import CasesPlugin

extension ConfluenceRCAPlugin {
    /// The `/case status` line: the RCA page's link, or when it will come.
    func statusLines(_ item: Case, _ context: PluginContext) async throws -> [String] {
        let caseID = item.id
        if let page = try await context.storage.read({ db in try await RCAPageStore.find(caseID: caseID, on: db) }) {
            return ["*RCA page:* <\(page.url)|\(SlackText.escaped(page.title))>"]
        }
        switch item.status {
        case .escalated where configuration.onResolve:
            return ["*RCA page:* created in Confluence when the incident is resolved (or now with `\(context.usage("rca"))`)"]
        case .escalated, .resolved:
            return ["*RCA page:* none yet — `\(context.usage("rca"))` creates it"]
        case .investigating, .closed:
            return []
        }
    }
}
