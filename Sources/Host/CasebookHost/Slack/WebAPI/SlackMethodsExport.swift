// The Slack method catalogue (`SlackMethodCatalog`, `SlackMethodInfo`, `SlackRateTier`) is the
// runtime's: it lives in the small `SlackMethods` module only so that the simulator can read it
// without depending on the host. Everything that imports the host sees it.
@_exported import SlackMethods
