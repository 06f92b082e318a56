import CasebookKit
import CasesPlugin

/// Ways into this plugin from outside a case channel: the "Post an update" global shortcut, the
/// severity field of the Cases plugin's "Start a case" modal, and the severities on its Home tab.
extension RolesPlugin {
    func registerEntryPoints(_ routes: inout Routes<RolesPlugin>) {
        routes.globalShortcut(
            PostUpdateModal.callbackID, name: "Post an update", description: "Post a status update to one of the open incidents"
        ) { plugin, shortcut, context in
            try await plugin.postUpdateShortcut(shortcut, context)
        }
        routes.viewSubmission(PostUpdateModal.callbackID) { plugin, submission, context in
            try await plugin.submitPostUpdate(submission, context)
        }
        routes.contribute(to: CasesPlugin.severityChoices) { plugin, _, _ in plugin.startSeverityChoices }
        routes.contribute(to: CasesPlugin.setSeverity) { plugin, request, context in await plugin.setStartSeverity(request, context) }
        registerHomeSeverities(&routes)
    }
}
