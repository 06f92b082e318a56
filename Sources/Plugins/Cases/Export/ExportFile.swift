import CasebookKit

/// The export's temporary file: created `0600`, written and removed off the event loop (every
/// file operation goes through ``BlockingIO``), so a large export never stalls other handlers.
struct ExportFile: Sendable {
    let url: URL
    private let handle: FileHandle

    /// A new, empty file only this process's user may read.
    static func create() async throws -> ExportFile {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-export-\(UUID().uuidString).csv")
        return try await BlockingIO.run {
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw UserFacingError("The export could not be written to a temporary file; the details are in Casebook's log.")
            }
            return ExportFile(url: url, handle: try FileHandle(forWritingTo: url))
        }
    }

    func append(_ chunk: String) async throws {
        let handle = handle
        try await BlockingIO.run { try handle.write(contentsOf: Data(chunk.utf8)) }
    }

    func close() async throws {
        let handle = handle
        try await BlockingIO.run { try handle.close() }
    }

    /// Closes (if still open) and deletes the file; never throws.
    func remove() async {
        let handle = handle
        let url = url
        _ = try? await BlockingIO.run {
            try? handle.close()
            try? FileManager.default.removeItem(at: url)
        }
    }
}
