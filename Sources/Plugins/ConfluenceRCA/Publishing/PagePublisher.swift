import CasebookKit
import Postmortem

/// The page call's work: the one code path that creates RCA pages. Idempotent, because the call may
/// run again after a lost answer or a restart: a page recorded for the case is only linked; else a
/// page with the case's title in the space is adopted (an earlier attempt made it); else it is
/// created, and a duplicate-title 400 (a race, or a page made by hand) is resolved by looking it up.
extension ConfluenceRCAPlugin {
    func createPageJob(_ request: PageRequest, _ context: PluginContext) async throws {
        let caseID = request.caseID
        if let recorded = try await context.storage.read({ db in try await RCAPageStore.find(caseID: caseID, on: db) }) {
            try await announce(recorded, channelID: request.channelID, context)
            return
        }
        guard let document = try await PostmortemDocument.load(caseID: caseID, context: context) else {
            throw PermanentJobFailure("the case \(caseID) no longer exists")
        }
        let api = ConfluenceAPI(configuration, http: context.http)
        let title = Self.title(day: document.day, caseTitle: document.title)
        var adopted = true
        var page = try await api.page(titled: title)
        if page == nil {
            guard let parent = try await api.page(titled: configuration.parentPage) else {
                throw IntegrationError.rejected(
                    ConfluenceAPI.service,
                    "there is no page titled “\(configuration.parentPage)” in the space \(configuration.space); create it, or set `parent_page` to the title of an existing page (and check `space`)")
            }
            page = try await api.createPage(title: title, parentID: parent.id, body: template.render(document))
            adopted = page == nil
            if page == nil { page = try await api.page(titled: title) }
        }
        guard let page else {
            throw IntegrationError(
                integration: ConfluenceAPI.service, kind: .invalidResponse("Confluence says “\(title)” exists but does not find it"), retryable: true)
        }
        let record = RCAPage(caseID: caseID, pageID: page.id, title: page.title, url: page.url, adopted: adopted, createdAt: context.clock.now())
        let actor = request.requestedBy
        let wasAdopted = adopted
        try await context.storage.transaction { tx in
            guard try await RCAPageStore.insertIfAbsent(record, on: tx.sql) else { return }
            try await tx.audit.record(
                actor: actor, action: "confluence.page_created", subject: caseID,
                details: [
                    "page_id": .string(record.pageID), "title": .string(record.title), "url": .string(record.url), "adopted": .bool(wasAdopted),
                    PostmortemDocument.timelineSummaryKey: .string("RCA page created: \(record.url)"),
                ])
        }
        context.logger.info("RCA page recorded", metadata: ["case": "\(caseID)", "page": "\(record.pageID)", "adopted": "\(adopted)"])
        let stored = try await context.storage.read { db in try await RCAPageStore.find(caseID: caseID, on: db) } ?? record
        try await announce(stored, channelID: request.channelID, context)
    }
}
