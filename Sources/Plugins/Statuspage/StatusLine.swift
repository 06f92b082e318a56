import CasebookKit
import CasesPlugin

extension StatuspagePlugin {
    /// The `/case status` lines: whether the case is on the status page (status, link, last
    /// update), and each draft waiting for approval and by whom.
    func statusLines(_ item: Case, _ context: PluginContext) async throws -> [String] {
        let record = try await context.storage.read { db in try await StatuspageStore.incident(caseID: item.id, on: db) }
        var lines: [String]
        if let record {
            let link = (record.incident.shortlink ?? configuration.publicURL).map { " · <\($0)|public incident>" } ?? ""
            let status = Draft.Status(rawValue: record.incident.status)?.label ?? record.incident.status
            lines = ["*Statuspage:* published — \(status)\(link) · last update \(SlackText.date(record.publishedAt))"]
        } else {
            lines = ["*Statuspage:* not published"]
        }
        for approval in try await context.approvals.open(subject: item.id).reversed() {
            guard let draft = try? Draft(approval) else { continue }
            if approval.state == .approved {
                lines.append("*Statuspage draft:* \(draft.status.label), approved by \(SlackText.user(approval.decidedBy)), publishing")
            } else {
                let approvers = await Approvers.resolve(approval.approvers, caseID: item.id, context)
                lines.append("*Statuspage draft:* \(draft.status.label), awaiting approval by \(approvers.description)")
            }
        }
        return lines
    }
}
