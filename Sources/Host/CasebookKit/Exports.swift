// Plugins import only CasebookKit; these are the API packages it hands on to them
// (logging, metrics, lifecycle and the dialect-neutral SQL builder), never a runtime.
@_exported import Foundation
@_exported import Logging
@_exported import Metrics
@_exported import SQLKit
@_exported import ServiceLifecycle
