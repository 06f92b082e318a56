// A plugin's tests import CasebookTesting and get everything they inspect: the simulator's state,
// the host and its database.
@_exported import CasebookHost
@_exported import CasebookKit
@_exported import CasebookStore
@_exported import SlackSimulator
