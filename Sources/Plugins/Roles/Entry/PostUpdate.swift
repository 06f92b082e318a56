import CasebookKit
import CasesPlugin

/// The "Post an update" global shortcut (callback `roles.post_update`): the `/case update` modal
/// with the open incident to update chosen first, newest first. The submission is handed to
/// `/case update`'s own submission with the chosen case, so it posts to the channel and under the
/// digest exactly as that does.
extension RolesPlugin {
    func postUpdateShortcut(_ shortcut: Shortcut, _ context: PluginContext) async throws -> Reply {
        let incidents = await openIncidents(visibleTo: shortcut.userID, context)
        guard !incidents.isEmpty else { return .openModal(PostUpdateModal.noIncidents(context)) }
        return .openModal(PostUpdateModal.make(incidents))
    }

    func submitPostUpdate(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        guard let caseID = submission.value(PostUpdateModal.incidentBlock)?.value, !caseID.isEmpty else {
            return .viewErrors([PostUpdateModal.incidentBlock: "Choose the incident this update is for."])
        }
        guard let item = await CaseDirectory(context: context).case(id: caseID) else {
            return .viewErrors([PostUpdateModal.incidentBlock: "This case no longer exists."])
        }
        do {
            try Self.requireIncident(item, context)
        } catch let error as UserFacingError {
            return .viewErrors([PostUpdateModal.incidentBlock: error.message])
        }
        var forIncident = submission
        forIncident.privateMetadata = caseID
        return try await submitUpdate(forIncident, context)
    }

    /// Incidents not yet resolved, newest first (a select offers at most 100 options); a private one
    /// only for the people in its channel.
    func openIncidents(visibleTo user: String, _ context: PluginContext) async -> [Case] {
        let cases = CaseDirectory(context: context)
        var visible: [Case] = []
        for item in await cases.activeCases(limit: 1_000) where item.status == .escalated && visible.count < 100 {
            if item.isPrivate, await cases.membershipProblem(caseID: item.id, user: user) != nil { continue }
            visible.append(item)
        }
        return visible
    }
}

/// The modal of the "Post an update" shortcut: the incident select, then `/case update`'s fields.
enum PostUpdateModal {
    static let callbackID = CallbackKey<RolesPlugin>("post_update")
    static let incidentBlock = "incident"

    static func make(_ incidents: [Case]) -> View {
        var view = UpdateModal.make(caseID: "", title: "")
        view.callbackID = callbackID.wire
        let options = incidents.map { Option(SlackText.truncated("#\($0.name)", to: 75), value: $0.id, description: SlackText.truncated($0.title, to: 75)) }
        let select = Block.input(
            "Incident", element: .staticSelect(actionID: incidentBlock, placeholder: "Choose an open incident", options: options),
            blockID: incidentBlock)
        view.blocks = [select] + view.blocks.filter { if case .input = $0 { return true } else { return false } }
        return view
    }

    static func noIncidents(_ context: PluginContext) -> View {
        View(title: "Post an update", callbackID: callbackID.appending("none").wire, close: "Close") {
            Block.section("There are no open incidents. An investigation becomes one with `\(context.usage("incident"))` in its channel.")
        }
    }
}
