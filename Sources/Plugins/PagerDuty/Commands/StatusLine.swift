import CasebookKit
import CasesPlugin

extension PagerDutyPlugin {
    /// The `/case status` lines: the alert's state, dedup key, when, and the last error; the
    /// services paged into the case.
    func statusLines(_ item: Case, _ context: PluginContext) async throws -> [String] {
        let (record, pages) = try await context.storage.read { db in
            (try await AlertStore.find(caseID: item.id, on: db), try await AlertStore.pages(caseID: item.id, on: db))
        }
        guard let record else { return [] }
        var line = "*PagerDuty:* "
        switch record.state {
        case "triggered": line += "triggered" + (record.severity.map { " (\($0))" } ?? "")
        case "resolved": line += "resolved"
        default: line += "not sent yet"
        }
        line += " · dedup key `\(record.dedupKey)`"
        if let at = record.sentAt { line += " · \(SlackText.date(at))" }
        var lines = [line]
        if let error = record.lastError { lines.append("*PagerDuty last error:* \(SlackText.escaped(error))") }
        for page in pages {
            let link = page.incidentURL.map { " (<\($0)|incident>)" } ?? ""
            lines.append("*Paged:* \(SlackText.escaped(page.serviceName))\(link) by <@\(page.pagedBy)>, \(SlackText.date(page.pagedAt))")
        }
        return lines
    }
}
