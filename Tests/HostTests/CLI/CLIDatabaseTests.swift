import CasebookKit
import CasebookStore
import Foundation
import Testing

/// The operator commands against a SQLite file: migrate (dry run first), jobs, audit verify,
/// export. The test reads and tampers with the same file through `Database`, as an operator's SQL
/// shell (or an attacker) would.
@Suite("casebook migrate, jobs, audit, export")
struct CLIDatabaseTests {
    /// A temp directory with the repository's plugins.yaml and a SQLite URL inside it.
    struct Setup {
        let directory: TemporaryDirectory
        var databaseURL: String { "sqlite:\(directory.file("casebook.sqlite"))" }
        var environment: [String: String] { ["ISSUES_CHANNEL_ID": "C0INCIDENTS", "DIGEST_CHANNEL_ID": "C0INCIDENTS", "DATABASE_URL": databaseURL] }

        func casebook(_ arguments: [String]) async throws -> CasebookProcess.Outcome {
            try await CasebookProcess.run(arguments + ["--config", "plugins.yaml"], environment: environment, in: directory)
        }

        func withDatabase<T: Sendable>(_ body: (Database) async throws -> T) async throws -> T {
            var logger = Logger(label: "cli-test")
            logger.logLevel = .warning
            return try await Database.withDatabase(url: databaseURL, logger: logger, body)
        }
    }

    static func withSetup(_ body: (Setup) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await body(Setup(directory: directory))
        }
    }

    @Test func aDryRunListsMigrationsThenMigrateAppliesThem() async throws {
        try await Self.withSetup { setup in
            let dryRun = try await setup.casebook(["migrate", "--dry-run"])
            #expect(dryRun.status == 0, "\(dryRun)")
            #expect(dryRun.stdoutLines.first?.hasPrefix("would apply casebook#1 ") == true, "\(dryRun)")
            #expect(dryRun.stdoutLines.contains { $0.hasPrefix("would apply cases#1 ") }, "\(dryRun)")
            #expect(try await setup.withDatabase { try await $0.appliedMigrations() }.isEmpty, "a dry run applied something")

            let migrate = try await setup.casebook(["migrate"])
            #expect(migrate.status == 0, "\(migrate)")
            #expect(migrate.stdoutLines.map { $0.replacingOccurrences(of: "applied ", with: "would apply ") } == dryRun.stdoutLines, "\(migrate)")
            let applied = try await setup.withDatabase { try await $0.appliedMigrations() }
            #expect(Set(applied.map { "would apply \($0.plugin)#\($0.version) '\($0.name)'" }) == Set(dryRun.stdoutLines))

            let again = try await setup.casebook(["migrate"])
            #expect(again.status == 0, "\(again)")
            #expect(again.stdoutLines.count == 1 && again.stdout.contains("up to date"), "\(again)")
        }
    }

    @Test func jobsAreListedCancelledAndRetriedByID() async throws {
        try await Self.withSetup { setup in
            #expect(try await setup.casebook(["migrate"]).status == 0)
            let empty = try await setup.casebook(["jobs"])
            #expect(empty.status == 0 && empty.stdout == "no jobs\n", "\(empty)")

            let (first, second) = try await setup.withDatabase { database in
                let jobs = database.jobs(plugin: "cases")
                let later = Date().addingTimeInterval(3600)
                let first = try await jobs.schedule(name: "refresh_messages", payload: ["caseID": "a"], at: later, dedupeKey: "refresh:a")
                let second = try await jobs.schedule(name: "refresh_messages", payload: ["caseID": "b"], at: later, dedupeKey: nil)
                return (first, second)
            }
            let listed = try await setup.casebook(["jobs", "list"])
            #expect(listed.status == 0, "\(listed)")
            #expect(listed.stdoutLines.count == 2, "\(listed)")
            #expect(listed.stdoutLines.contains { $0.hasPrefix("\(first)\tpending\tcases.refresh_messages\t") && $0.hasSuffix("key=refresh:a") })
            #expect(listed.stdoutLines.contains { $0.hasPrefix("\(second)\tpending\tcases.refresh_messages\t") })

            let cancelled = try await setup.casebook(["jobs", "cancel", "\(first)"])
            #expect(cancelled.status == 0 && cancelled.stdout == "cancelled job \(first)\n", "\(cancelled)")
            let remaining = try await setup.casebook(["jobs"])
            #expect(remaining.stdoutLines.map { $0.split(separator: "\t").first.map(String.init) } == ["\(second)"], "\(remaining)")
            let history = try await setup.casebook(["jobs", "list", "--state", "cancelled"])
            #expect(history.stdoutLines.first?.hasPrefix("\(first)\tcancelled\t") == true, "\(history)")

            // A pending job is not dead, so it can't be retried; an unknown id is named.
            let retry = try await setup.casebook(["jobs", "retry", "\(second)"])
            #expect(retry.status == 1 && retry.stderrLines == ["casebook: no dead job \(second)"], "\(retry)")
            let unknown = try await setup.casebook(["jobs", "cancel", "9999"])
            #expect(unknown.status == 1 && unknown.stderrLines == ["casebook: no pending or dead job 9999"], "\(unknown)")

            // A job that ran out of attempts is dead; retry makes it pending again, due now.
            try await setup.withDatabase { database in
                try await database.storage(plugin: "cases").read { sql in
                    try await sql.raw("UPDATE casebook_jobs SET state = 'dead', last_error = 'slack down' WHERE id = \(bind: second)").run()
                }
            }
            let dead = try await setup.casebook(["jobs"])
            #expect(dead.stdoutLines.first?.hasPrefix("\(second)\tdead\t") == true && dead.stdout.contains("error=slack down"), "\(dead)")
            let retried = try await setup.casebook(["jobs", "retry", "\(second)"])
            #expect(retried.status == 0 && retried.stdout == "job \(second) will run again now\n", "\(retried)")
            let again = try await setup.casebook(["jobs"])
            #expect(again.stdoutLines.first?.hasPrefix("\(second)\tpending\t") == true, "\(again)")
        }
    }

    @Test func auditVerifyDetectsAnEditedEntry() async throws {
        try await Self.withSetup { setup in
            #expect(try await setup.casebook(["migrate"]).status == 0)
            try await setup.withDatabase { database in
                let audit = database.audit(plugin: "cases")
                for number in 1...3 {
                    try await audit.record(actor: "U0ALICE", action: "case.opened", subject: "case-\(number)", details: ["n": .number(Double(number))])
                }
            }
            let intact = try await setup.casebook(["audit", "verify"])
            #expect(intact.status == 0, "\(intact)")
            #expect(intact.stdout == "audit timeline intact (3 entries)\n", "\(intact)")

            // Someone rewrites history with SQL: the actor of entry 2 is changed.
            try await setup.withDatabase { database in
                try await database.storage(plugin: "cases").read { sql in
                    try await sql.raw("UPDATE casebook_audit SET actor = 'U0MALLORY' WHERE sequence = 2").run()
                }
            }
            let broken = try await setup.casebook(["audit", "verify"])
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stdout.hasPrefix("audit timeline broken at entry 2"), "\(broken)")

            // Putting the actor back restores the chain; deleting the last entry breaks it again.
            try await setup.withDatabase { database in
                try await database.storage(plugin: "cases").read { sql in
                    try await sql.raw("UPDATE casebook_audit SET actor = 'U0ALICE' WHERE sequence = 2").run()
                }
            }
            #expect(try await setup.casebook(["audit", "verify"]).status == 0)
            try await setup.withDatabase { database in
                try await database.storage(plugin: "cases").read { sql in
                    try await sql.raw("DELETE FROM casebook_audit WHERE sequence = 3").run()
                }
            }
            let truncated = try await setup.casebook(["audit", "verify"])
            #expect(truncated.status == 1, "\(truncated)")
            #expect(truncated.stdout.hasPrefix("audit timeline broken at entry 3"), "\(truncated)")
        }
    }

    @Test func exportPrintsAHeaderEvenWithNoCases() async throws {
        try await Self.withSetup { setup in
            let early = try await setup.casebook(["export", "cases", "--format", "csv"])
            #expect(early.status == 1, "\(early)")
            #expect(early.stderrLines.count == 1 && early.stderr.contains("casebook migrate"), "\(early)")

            #expect(try await setup.casebook(["migrate"]).status == 0)
            let export = try await setup.casebook(["export", "cases", "--format", "csv"])
            #expect(export.status == 0, "\(export)")
            let header = try #require(export.stdoutLines.first)
            #expect(header.hasPrefix("name,title,status,channel,opened_by,opened_at"), "\(export)")
            #expect(export.stdoutLines.count == 1, "\(export)")
            #expect(export.stderr.isEmpty, "\(export)")
            // The export is on the timeline, as one from Slack is.
            let exports = try await setup.withDatabase { database in
                try await database.auditEntries().filter { $0.action == "cases.exported" }
            }
            #expect(exports.count == 1)
            #expect(exports.first?.actor.hasPrefix("cli:") == true)
            #expect(exports.first?.details["cases"] == 0)
        }
    }
}
