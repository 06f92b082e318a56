import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookStore
import CasesPlugin

/// Exports history from the database, streaming, so memory stays flat however long it is.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export data; `casebook export cases --format csv > cases.csv`.")

    enum Subject: String, ExpressibleByArgument, CaseIterable { case cases }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to export: cases.") var subject: Subject
    @ArgumentParser.Option(help: "Output format: csv.") var format: Format = .csv

    func run() async throws {
        try await reportingFailures {
            try await global.withDatabase { database, _ in
                let pending = try await database.plannedMigrations([(plugin: CasesPlugin.id, migrations: CasesPlugin.migrations)])
                if pending.contains(where: { $0.plugin == CasesPlugin.id && $0.version == 1 }) {
                    throw Failure("\(database.location) holds no cases yet; run `casebook migrate` or `casebook serve` first")
                }
                let output = FileHandle.standardOutput
                let count = try await CasesPlugin.exportCSV(storage: database.storage(plugin: CasesPlugin.id)) { chunk in
                    output.write(Data(chunk.utf8))
                }
                // On the timeline like an export from Slack: who (the operating system user) and how many.
                let operatorName = ProcessInfo.processInfo.environment["USER"] ?? "unknown"
                try await database.audit(plugin: CasesPlugin.id).record(
                    actor: "cli:\(operatorName)", action: "cases.exported", subject: "cases",
                    details: ["cases": .number(Double(count)), "via": "casebook export"])
            }
        }
    }
}
