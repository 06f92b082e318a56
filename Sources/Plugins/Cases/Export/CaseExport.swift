import CasebookKit

/// The CSV export of every case, written page by page so memory stays flat however many cases
/// there are. Shared by `/case export` (the file goes to the requester's DM) and the command line
/// (`casebook export cases --format csv`, through ``CasesPlugin/exportCSV(storage:pageSize:now:write:)``).
/// Private cases are included with their titles: only authorised exporters get a `/case export`
/// (``CasesPlugin/Configuration/mayExport(_:installationTeam:)``), and the command line is the
/// operator's, who holds the database anyway. The `private` column says which they are.
enum CaseExport {
    static let header = [
        "name", "title", "status", "channel", "opened_by", "opened_at", "closed_by", "closed_at", "evidence_count",
        "duration_seconds", "escalated", "commander", "escalated_at", "resolved_by", "resolved_at", "time_to_resolve_seconds",
        "private",
    ]

    static func fields(_ item: Case, now: Date) -> [String] {
        func time(_ date: Date?) -> String { date.map(SlackText.utc) ?? "" }
        func seconds(_ interval: TimeInterval?) -> String { interval.map { String(Int($0.rounded())) } ?? "" }
        return [
            item.name, item.title, item.status.rawValue, item.channelID, item.openedBy, time(item.openedAt),
            item.closedBy ?? "", time(item.closedAt), String(item.evidenceCount), seconds(item.duration(now: now)),
            item.wasEscalated ? "yes" : "no", item.commander ?? "", time(item.escalatedAt), item.resolvedBy ?? "",
            time(item.resolvedAt), seconds(item.timeToResolve), item.isPrivate ? "yes" : "no",
        ]
    }

    /// Reads every case in keyset pages and hands each CSV chunk (the header, then one chunk per
    /// page) to `write`. Returns the number of cases written.
    @discardableResult
    static func write(
        storage: any PluginStorage, pageSize: Int, now: Date, _ write: (String) async throws -> Void
    ) async throws -> Int {
        try await write(CSV.row(header))
        var cursor: CaseStore.PageCursor?
        var count = 0
        while true {
            let after = cursor
            let page = try await storage.read { db in try await CaseStore.page(after: after, limit: pageSize, on: db) }
            guard let last = page.last else { break }
            try await write(page.map { CSV.row(fields($0, now: now)) }.joined())
            count += page.count
            cursor = CaseStore.PageCursor(openedAt: CaseStore.millis(last.openedAt), id: last.id)
            if page.count < pageSize { break }
        }
        return count
    }
}
