import CasebookKit
import CasebookStore
import Foundation
import Synchronization
import Testing

/// What a deploy pipeline and an operator run besides `serve` (#19 point 6): the operator
/// commands with only `DATABASE_URL` and plugins.yaml, and `casebook backup` taken while the
/// database is being written, restored and found complete and consistent.
@Suite("casebook operator commands without Slack settings, casebook backup")
struct CLIOperationsTests {
    @Test func operatorCommandsNeedOnlyTheDatabaseAndPluginsYAML() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            // No ISSUES_CHANNEL_ID / DIGEST_CHANNEL_ID, which the shipped plugins.yaml requires.
            let environment = ["DATABASE_URL": "sqlite:casebook.sqlite"]
            func casebook(_ arguments: [String]) async throws -> CasebookProcess.Outcome {
                try await CasebookProcess.run(arguments, environment: environment, in: directory)
            }
            let dryRun = try await casebook(["migrate", "--dry-run"])
            #expect(dryRun.status == 0 && dryRun.stdoutLines.contains { $0.hasPrefix("would apply roles#1 ") }, "\(dryRun)")
            let migrate = try await casebook(["migrate"])
            #expect(migrate.status == 0 && migrate.stdoutLines.contains { $0.hasPrefix("applied cases#1 ") }, "\(migrate)")
            let jobs = try await casebook(["jobs"])
            #expect(jobs.status == 0 && jobs.stdout == "no jobs\n", "\(jobs)")
            let audit = try await casebook(["audit", "verify"])
            #expect(audit.status == 0 && audit.stdout.hasPrefix("audit timeline intact"), "\(audit)")
            let export = try await casebook(["export", "cases", "--format", "csv"])
            #expect(export.status == 0 && export.stdoutLines.count == 1, "only the header: \(export)")

            // serve and check-config still refuse, naming the variable.
            let check = try await casebook(["check-config"])
            #expect(check.status == 1 && check.stderr.contains("'ISSUES_CHANNEL_ID' is not set"), "\(check)")
            let serve = try await CasebookProcess.run(
                ["serve"], environment: environment.merging(["SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_APP_TOKEN": "xapp-1-A1-2-abc"]) { $1 },
                in: directory)
            #expect(serve.status == 1 && serve.stderr.contains("'DIGEST_CHANNEL_ID' is not set"), "\(serve)")
        }
    }

    /// Committed audit entries, counted by the writer.
    final class Committed: Sendable {
        let count = Atomic<Int>(0)
    }

    @Test func aBackupTakenWhileWritingIsConsistentAndRestores() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let url = "sqlite:\(directory.file("casebook.sqlite"))"
            let environment = ["DATABASE_URL": url]
            #expect(try await CasebookProcess.run(["migrate"], environment: environment, in: directory).status == 0)

            let committed = Committed()
            let (backup, window) = try await Database.withDatabase(url: url, logger: Self.quietLogger) { database in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // A writer like a running host's: one hash-chained audit entry per transaction.
                    group.addTask {
                        let audit = database.audit(plugin: "cases")
                        var number = 0
                        while !Task.isCancelled {
                            number += 1
                            try await audit.record(actor: "U0ALICE", action: "case.opened", subject: "case-\(number)", details: ["n": .number(Double(number))])
                            committed.count.add(1, ordering: .sequentiallyConsistent)
                        }
                    }
                    try await eventually("the writer is under way") { committed.count.load(ordering: .sequentiallyConsistent) >= 50 }
                    let start = committed.count.load(ordering: .sequentiallyConsistent)
                    let backup = try await CasebookProcess.run(["backup", "backup.sqlite"], environment: environment, in: directory)
                    let end = committed.count.load(ordering: .sequentiallyConsistent)
                    try await eventually("the writer goes on after the backup") { committed.count.load(ordering: .sequentiallyConsistent) > end + 20 }
                    group.cancelAll()
                    try? await group.waitForAll()
                    // The writer counts an entry after its commit, so when `end` is read one more
                    // entry may already be committed (and in the copy) than counted.
                    return (backup, start...(end + 1))
                }
            }
            #expect(backup.status == 0 && backup.stdout == "backed up \(directory.file("casebook.sqlite")) to backup.sqlite\n", "\(backup)")
            #expect(!FileManager.default.fileExists(atPath: directory.file("backup.sqlite.partial")))

            // Restore: the copy becomes the database of a fresh directory, as after losing the volume.
            try await TemporaryDirectory.with { restored in
                try restored.copyRepositoryConfiguration()
                try FileManager.default.copyItem(atPath: directory.file("backup.sqlite"), toPath: restored.file("casebook.sqlite"))
                // DATABASE_URL unset: casebook.sqlite in the working directory.
                let verify = try await CasebookProcess.run(["audit", "verify"], in: restored)
                #expect(verify.status == 0, "a torn copy would break the hash chain: \(verify)")
                let entries = try #require(verify.stdout.firstMatch(of: /intact \((\d+) entries\)/).flatMap { Int($0.1) }, "\(verify)")
                #expect(window.contains(entries), "the copy holds every entry committed before the backup began, and is one instant: \(entries) in \(window)")
                let migrate = try await CasebookProcess.run(["migrate"], in: restored)
                #expect(migrate.stdout.contains("up to date"), "\(migrate)")
                let last = try await Database.withDatabase(url: "sqlite:\(restored.file("casebook.sqlite"))", logger: Self.quietLogger) { database in
                    try await database.audit(plugin: "cases").entries(subject: "case-\(entries)").map(\.action)
                }
                #expect(last == ["case.opened"])
            }
            // The live database went on past the copy.
            let live = try await CasebookProcess.run(["audit", "verify"], environment: environment, in: directory)
            #expect(live.stdout.firstMatch(of: /intact \((\d+) entries\)/).flatMap { Int($0.1) } ?? 0 > window.upperBound, "\(live)")

            // A backup never overwrites, and PostgreSQL is pointed at its own tool without its password.
            let again = try await CasebookProcess.run(["backup", "backup.sqlite"], environment: environment, in: directory)
            #expect(again.status == 1 && again.stderr.contains("backup.sqlite already exists"), "\(again)")
            let postgres = try await CasebookProcess.run(
                ["backup", "pg.sqlite"], environment: ["DATABASE_URL": "postgres://casebook:hunter2@db:5432/casebook"], in: directory)
            #expect(postgres.status == 1 && postgres.stderr.contains("pg_dump") && !postgres.stderr.contains("hunter2"), "\(postgres)")
        }
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "cli-test")
        logger.logLevel = .warning
        return logger
    }
}
