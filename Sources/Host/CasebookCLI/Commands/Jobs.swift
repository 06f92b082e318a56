import ArgumentParser
import CasebookHost
import CasebookKit
import CasebookStore

/// Lists and manages durable jobs (reminders, integration calls, event deliveries).
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List pending, running and dead jobs; cancel or retry one.",
        subcommands: [List.self, Cancel.self, Retry.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs (default: pending, running and dead).")
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Option(help: "Comma-separated states: pending, running, dead, done, cancelled.")
        var state = "pending,running,dead"

        func run() async throws {
            try await reportingFailures {
                try await global.withDatabase { database, _ in
                    let jobs = try await database.listJobs(states: state.split(separator: ",").map { String($0).trimmed })
                    if jobs.isEmpty { Terminal.print("no jobs") }
                    for job in jobs {
                        var line = "\(job.id)\t\(job.state)\t\(job.plugin).\(job.name)\t\(job.runAt.formatted(.iso8601))\tattempts=\(job.attempts)"
                        if let key = job.dedupeKey { line += "\tkey=\(key)" }
                        if let error = job.lastError { line += "\terror=\(error)" }
                        Terminal.print(line)
                    }
                }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a pending or dead job.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job id, as listed.") var id: Int64

        func run() async throws {
            try await reportingFailures {
                try await global.withDatabase { database, _ in
                    guard try await database.cancelJob(id: id) else { throw Failure("no pending or dead job \(id)") }
                    Terminal.print("cancelled job \(id)")
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a dead job again now.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job id, as listed.") var id: Int64

        func run() async throws {
            try await reportingFailures {
                try await global.withDatabase { database, _ in
                    guard try await database.retryJob(id: id) else { throw Failure("no dead job \(id)") }
                    Terminal.print("job \(id) will run again now")
                }
            }
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
