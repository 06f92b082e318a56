// The playground and the tests drive the sandbox through the simulator's state, the host and its
// database, so importing CasebookSandbox brings those modules along.
@_exported import CasebookHost
@_exported import CasebookKit
@_exported import CasebookStore
@_exported import SlackSimulator
