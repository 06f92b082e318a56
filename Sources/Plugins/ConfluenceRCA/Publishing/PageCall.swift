import CasebookKit
import CasesPlugin

/// The durable call that makes a case's RCA page, queued by a resolve or `/case rca`.
extension ConfluenceRCAPlugin {
    struct PageRequest: Codable, Sendable, Equatable {
        var caseID: String
        var channelID: String
        /// Who asked (a user id), or `casebook` for the resolve.
        var requestedBy: String
    }

    static let createPage = IntegrationCall<PageRequest>("create_page", service: ConfluenceAPI.service)

    /// Queues the page call in `tx`; one pending call per case.
    static func queuePage(for item: Case, by user: String, at now: Date, _ tx: Transaction) async throws {
        try await tx.jobs.enqueue(
            createPage, PageRequest(caseID: item.id, channelID: item.channelID, requestedBy: user),
            notice: FailureNotice(
                channel: item.channelID, subject: item.id, action: "create the RCA page",
                fix: "correct `plugins.confluence.config` as said (`space`, `parent_page`, `username`, `api_token`)"),
            dedupeKey: "rca:\(item.id)", at: now)
    }

    /// On resolve, with `on_resolve: true`, unless the case has its page already. Events arrive at
    /// least once; the dedup key and the page's record keep it to one page.
    func resolved(_ event: CaseResolved, _ context: PluginContext) async throws {
        guard configuration.onResolve else { return }
        let item = event.case
        if try await context.storage.read({ db in try await RCAPageStore.find(caseID: item.id, on: db) }) != nil { return }
        let now = context.clock.now()
        try await context.storage.transaction { tx in try await Self.queuePage(for: item, by: "casebook", at: now, tx) }
    }

    /// `<YYYY-MM-DD> <case title> RCA`, within Confluence's 255 characters. The day is the
    /// resolution's (the opening's before one), so every attempt computes the same title.
    static func title(day: String, caseTitle: String) -> String {
        let room = 255 - day.count - " RCA".count - 1
        let trimmed = caseTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        let title = trimmed.count <= room ? trimmed : String(trimmed.prefix(room - 1)) + "…"
        return "\(day) \(title) RCA"
    }
}
