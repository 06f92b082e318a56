import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookStore

/// Copies a SQLite database while Casebook runs (SQLite's backup API: one consistent snapshot).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database online and consistently; `casebook backup casebook-$(date +%F).sqlite`.",
        discussion: "Safe while `casebook serve` runs. For PostgreSQL use pg_dump.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new file to write (never overwritten).") var destination: String

    func run() async throws {
        try await reportingFailures {
            let environment = try global.environment()
            let source = try SQLiteBackup.copy(
                databaseURL: environment.databaseURL, workingDirectory: FileManager.default.currentDirectoryPath, to: destination)
            Terminal.print("backed up \(source) to \(destination)")
        }
    }
}
