import CasebookKit
import CasesPlugin

/// Ways into this plugin from outside a case channel: the "Post an update" global shortcut, the
/// severity field of the Cases plugin's "Start a case" modal, and the severities on its Home tab.
extension RolesPlugin {
    func registerEntryPoints(_ routes: inout Routes<RolesPlugin>) {
        routes.globalShortcut(
            PostUpdateModal.callbackID, name: "Post an update", description: "Post a status update to one of the open incidents", use: RolesPlugin.postUpdateShortcut)
        routes.viewSubmission(PostUpdateModal.callbackID, use: RolesPlugin.submitPostUpdate)
        routes.contribute(to: CasesPlugin.severityChoices, use: RolesPlugin.startSeverityChoices)
        routes.contribute(to: CasesPlugin.setSeverity, use: RolesPlugin.setStartSeverity)
        registerHomeSeverities(&routes)
    }
}
