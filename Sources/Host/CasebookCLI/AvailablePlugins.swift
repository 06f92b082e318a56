import AlertsPlugin
import CasebookKit
import CasesPlugin
import ConfluenceRCAPlugin
import LinearPostmortemPlugin
import PagerDutyPlugin
import RolesPlugin
import StatuspagePlugin
import StatusProvidersPlugin

/// Every plugin this build of Casebook can load; `plugins.yaml` chooses among them. Registration is
/// static on purpose: no reflection, no dynamic loading, and the compiler checks every plugin.
let availablePlugins: [any Plugin.Type] = [
    CasesPlugin.self,
    RolesPlugin.self,
    PagerDutyPlugin.self,
    StatuspagePlugin.self,
    StatusProvidersPlugin.self,
    AlertsPlugin.self,
    ConfluenceRCAPlugin.self,
    LinearPostmortemPlugin.self,
]
