import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookStore

/// Checks the hash chain of the audit timeline.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect the append-only audit timeline.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Detect edited or deleted timeline entries; exit 1 if any.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingFailures {
                let verification = try await global.withDatabase { database, _ in try await database.verifyAudit() }
                Terminal.print("\(verification)")
                if !verification.isIntact { throw ExitCode.failure }
            }
        }
    }
}
