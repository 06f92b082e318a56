@testable import CasebookHost
import Foundation
import NIOCore
import Testing

/// Uploads stream from disk: every byte arrives, in bounded chunks, and a second pass (a retry)
/// starts again from the beginning.
@Suite struct FileChunksTests {
    @Test func aFileStreamsInBoundedChunksAndCanBeSentAgain() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chunks-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = Data((0..<(FileChunks.chunkSize * 3 + 123)).map { UInt8($0 % 251) })
        try bytes.write(to: file)

        for _ in 0..<2 {
            var received = Data()
            var chunks = 0
            for try await buffer in FileChunks(file: file) {
                #expect(buffer.readableBytes <= FileChunks.chunkSize)
                received.append(contentsOf: buffer.readableBytesView)
                chunks += 1
            }
            #expect(chunks == 4)
            #expect(received == bytes)
        }
    }

    @Test func aMissingFileFailsTheUploadInsteadOfSendingNothing() async {
        let missing = URL(fileURLWithPath: "/nonexistent/casebook-export.csv")
        await #expect(throws: (any Error).self) {
            for try await _ in FileChunks(file: missing) {}
        }
    }
}
