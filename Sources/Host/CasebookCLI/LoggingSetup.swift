import CasebookHost
import CasebookKit
import Foundation
import Synchronization

/// Bootstraps swift-log once per process from `LOG_LEVEL` and `LOG_FORMAT`. Logs go to standard
/// error so standard output stays clean for command results (manifests, exports).
enum LoggingSetup {
    private static let done = Mutex(false)

    static func bootstrap(_ environment: HostEnvironment) {
        let first = done.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let level = environment.logLevel
        switch environment.logFormat {
        case .text:
            LoggingSystem.bootstrap { label in TextLogHandler.standardError(label: label, level: level) }
        case .json:
            LoggingSystem.bootstrap { label in
                JSONLogHandler(label: label, level: level) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            }
        }
    }
}
