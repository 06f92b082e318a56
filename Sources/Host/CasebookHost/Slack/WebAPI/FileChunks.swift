import CasebookKit
import NIOCore

/// A file's bytes as a sequence of buffers, read 64 KiB at a time off the event loop (``BlockingIO``).
/// Each iteration opens the file anew, so a retried upload sends it again from the start.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let file: URL
    static let chunkSize = 64 * 1024

    struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        var failure: (any Error)?

        mutating func next() async throws -> ByteBuffer? {
            if let failure {
                self.failure = nil
                throw failure
            }
            guard let handle else { return nil }
            let data = try await BlockingIO.run { () -> Data? in
                guard let data = try handle.read(upToCount: FileChunks.chunkSize), !data.isEmpty else {
                    try? handle.close()
                    return nil
                }
                return data
            }
            return data.map { ByteBuffer(bytes: $0) }
        }
    }

    func makeAsyncIterator() -> Iterator {
        do {
            return Iterator(handle: try FileHandle(forReadingFrom: file), failure: nil)
        } catch {
            return Iterator(handle: nil, failure: error)
        }
    }
}
