import CasebookKit
import CasesPlugin
import RolesPlugin

/// Following the incident without ever publishing on its own: when its phase moves on (roles
/// plugin) or it is resolved, and `propose_on_phase_change` is on, a draft prefilled for the new
/// status is posted — resolved puts every affected component back to `operational` — and waits
/// for an approver like any other. Events arrive at least once: an open draft for that status
/// already there means there is nothing to do.
extension StatuspagePlugin {
    func statusChanged(_ event: IncidentStatusChanged, _ context: PluginContext) async throws {
        // Resolution is followed through CaseResolved, which comes with or without the roles plugin.
        guard event.to != .resolved, let status = Draft.Status(rawValue: event.to.rawValue) else { return }
        try await proposeFollowUp(caseID: event.caseID, status: status, context)
    }

    func resolved(_ event: CaseResolved, _ context: PluginContext) async throws {
        try await proposeFollowUp(caseID: event.case.id, status: .resolved, context)
    }

    func proposeFollowUp(caseID: String, status: Draft.Status, _ context: PluginContext) async throws {
        guard configuration.proposeOnPhaseChange, let item = await CaseDirectory(context: context).case(id: caseID), item.status != .closed else { return }
        let open = try await context.approvals.open(subject: caseID)
        guard !open.contains(where: { (try? Draft($0))?.status == status }) else { return }
        var draft = try await newDraft(for: item, context)
        draft.status = status
        draft.body = Self.suggestedBody(status)
        if status == .resolved { draft = draft.allOperational() }
        try await propose(draft, for: item, by: "casebook", context)
    }

    /// Words to start from; the person drafting edits them before anyone approves.
    static func suggestedBody(_ status: Draft.Status) -> String {
        switch status {
        case .investigating: "We are investigating reports of problems and will post an update as soon as we know more."
        case .identified: "The issue has been identified and a fix is being implemented."
        case .monitoring: "A fix has been implemented and we are monitoring the results."
        case .resolved: "This incident has been resolved. Thank you for your patience."
        }
    }
}
