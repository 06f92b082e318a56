import CasebookKit
import VaporCSQLite

/// An online, consistent copy of a SQLite database through SQLite's backup API
/// (`sqlite3_backup_*` of the SQLite that sqlite-nio bundles — the same library the host uses).
///
/// The whole copy is one `sqlite3_backup_step(-1)`: it holds one read transaction on the source,
/// so the copy is the database as of one instant even while a running host keeps writing (WAL mode
/// lets readers and the writer proceed together; a chunked copy would restart on every write).
/// It is written to `<destination>.partial` and renamed into place, so a failed backup never
/// leaves a file that looks like a good one.
public enum SQLiteBackup {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Backs up the database named by `url` (`DATABASE_URL`, nil = `casebook.sqlite` in
    /// `workingDirectory`) to `destination`; PostgreSQL and in-memory databases are refused with
    /// the tool to use instead. Returns the database file copied.
    @discardableResult
    public static func copy(databaseURL url: String?, workingDirectory: String, to destination: String) throws -> String {
        switch try DatabaseURL.parse(url, workingDirectory: workingDirectory) {
        case .sqliteFile(let path):
            try copy(from: path, to: destination)
            return path
        case .sqliteMemory:
            throw Failure(description: "sqlite::memory: lives only inside its process; there is nothing to back up")
        case .postgres:
            throw Failure(description: "\(DatabaseURL.masked(url ?? "")) is PostgreSQL; back it up with pg_dump (casebook backup copies SQLite files)")
        }
    }

    /// Copies the SQLite file at `source` to `destination`, which must not exist yet.
    /// Returns the number of database pages copied.
    @discardableResult
    public static func copy(from source: String, to destination: String, busyTimeout: Duration = .seconds(10)) throws -> Int {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: source) else { throw Failure(description: "no SQLite database at \(source)") }
        guard !fileManager.fileExists(atPath: destination) else {
            throw Failure(description: "\(destination) already exists; choose a new name (a backup never overwrites)")
        }
        let partial = destination + ".partial"
        try? fileManager.removeItem(atPath: partial)

        let from = try open(source, flags: SQLITE_OPEN_READONLY)
        defer { sqlite_nio_sqlite3_close_v2(from) }
        let milliseconds = Int32(clamping: busyTimeout.components.seconds * 1000)
        sqlite_nio_sqlite3_busy_timeout(from, milliseconds)
        let pages: Int
        do {
            let to = try open(partial, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            defer { sqlite_nio_sqlite3_close_v2(to) }
            guard let backup = sqlite_nio_sqlite3_backup_init(to, "main", from, "main") else {
                throw Failure(description: "cannot start the backup: \(message(to))")
            }
            var result = sqlite_nio_sqlite3_backup_step(backup, -1)
            // The busy handler does not cover every lock the backup meets; wait out the rest.
            var waited = Duration.zero
            while result == SQLITE_BUSY || result == SQLITE_LOCKED, waited < busyTimeout {
                usleep(50_000)
                waited += .milliseconds(50)
                result = sqlite_nio_sqlite3_backup_step(backup, -1)
            }
            pages = Int(sqlite_nio_sqlite3_backup_pagecount(backup))
            sqlite_nio_sqlite3_backup_finish(backup)
            guard result == SQLITE_DONE else {
                throw Failure(description: "backup of \(source) failed: \(String(cString: sqlite_nio_sqlite3_errstr(result)))")
            }
        } catch {
            try? fileManager.removeItem(atPath: partial)
            throw error
        }
        do {
            try fileManager.moveItem(atPath: partial, toPath: destination)
        } catch {
            try? fileManager.removeItem(atPath: partial)
            throw Failure(description: "cannot move the backup into place at \(destination): \(error.localizedDescription)")
        }
        return pages
    }

    private static func open(_ path: String, flags: Int32) throws -> OpaquePointer {
        var handle: OpaquePointer?
        let result = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let reason = handle.map(message) ?? String(cString: sqlite_nio_sqlite3_errstr(result))
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw Failure(description: "cannot open \(path): \(reason)")
        }
        return handle
    }

    private static func message(_ handle: OpaquePointer) -> String {
        sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error"
    }
}
