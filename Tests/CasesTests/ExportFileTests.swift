import CasebookKit
import Foundation
import Testing
@testable import CasesPlugin

/// The export's temporary file (#17 point 9): created 0600, written off the event loop and the
/// cooperative pool (every operation through BlockingIO), removed afterwards.
@Suite struct ExportFileTests {
    @Test func blockingWorkRunsOnItsOwnQueue() async throws {
        #expect(!BlockingIO.isOffloaded)
        #expect(try await BlockingIO.run { BlockingIO.isOffloaded })
        await #expect(throws: CocoaError.self) {
            try await BlockingIO.run { try Data(contentsOf: URL(fileURLWithPath: "/nonexistent/casebook")) }
        }
    }

    @Test func theFileIsPrivateWrittenAndRemoved() async throws {
        let file = try await ExportFile.create()
        let permissions = try FileManager.default.attributesOfItem(atPath: file.url.path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        try await file.append("name,title\n")
        try await file.append("case-1,Disk full\n")
        try await file.close()
        #expect(try String(contentsOf: file.url, encoding: .utf8) == "name,title\ncase-1,Disk full\n")
        await file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.url.path))
    }
}
