// A plugin's tests import CasebookTesting and get everything they inspect: the simulator's state,
// the host and its database, and the sandbox (host assembly, fakes) that tests and the playground share.
@_exported import CasebookHost
@_exported import CasebookKit
@_exported import CasebookSandbox
@_exported import CasebookStore
@_exported import SlackSimulator
