import ArgumentParser
import Foundation
import Logging
import Metrics
import NIOCore

/// `casebook-bench`: the performance figures of bench/README.md. Each subcommand prints Markdown
/// tables on standard output (progress goes to standard error). Build with `-c release`.
@main
struct CasebookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casebook-bench",
        abstract: "Measure Casebook: Socket Mode acks, serve start-up and memory, durable jobs, the Cases and Alerts plugins.",
        subcommands: [Ack.self, Serve.self, Jobs.self, Cases.self, Alerts.self, All.self])

    /// Logs go to standard error at warning level, so standard output holds only the tables.
    static func main() async {
        // Slack's side of the benchmark (and, in-process, the host) on one event loop thread: with
        // two loops and two concurrency-pool threads on two cores, thread switches cost about 10 %
        // of the in-process throughput. NIO_SINGLETON_GROUP_LOOP_COUNT overrides it.
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil {
            NIOSingletons.groupLoopCountSuggestion = 1
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        // The in-process ack benchmark reads the host's own ack latencies through this tap.
        MetricsSystem.bootstrap(AckLatencyTap.shared)
        await main(nil)
    }

    /// Shared by `serve`, `jobs` and `all`.
    struct BinaryOption: ParsableArguments {
        @Option(help: "The casebook binary to run (default: the one next to this executable).")
        var binary: String?

        var resolved: String { binary ?? ServeProcess.defaultBinary() }
    }

    struct Ack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Socket Mode ack latency and throughput at 1, 10, 100 in flight: casebook serve as a child process (driven by the simulator, and by a lean load generator), and in-process.")
        @OptionGroup var binary: BinaryOption
        @Option(help: "Commands per concurrency level.") var commands = 5_000
        @Option(parsing: .upToNextOption, help: "Commands in flight.") var inFlight: [Int] = [1, 10, 100]
        @Option(parsing: .upToNextOption, help: "serve (casebook serve as a child process, driven by the simulator), serve-load (the same, driven by a lean load generator), in-process.")
        var setup: [String] = AckBenchmark.Setup.allCases.map(\.rawValue)
        @Option(help: "The /case subcommand serve and serve-load send: help (needs no storage), list, status (in the case channel #alerts); in-process always sends /case ping.")
        var command = "help"
        @Option(help: "Open cases written into casebook serve's database before measuring (status seeds at least 1).")
        var cases = 0

        func run() async throws {
            guard let command = AckCommand(rawValue: command) else { throw ValidationError("unknown command \(command)") }
            let setups = try setup.map { name in
                guard let setup = AckBenchmark.Setup(rawValue: name) else { throw ValidationError("unknown setup \(name)") }
                return setup
            }
            let benchmark = AckBenchmark(
                setups: setups, binary: binary.resolved, levels: inFlight, commandsPerLevel: commands, command: command, openCases: cases)
            for table in try await benchmark.run() { table.print() }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start-up time and idle RSS of `casebook serve` as a child process.")
        @OptionGroup var binary: BinaryOption
        @Option(help: "Starts to measure.") var runs = 5
        @Option(help: "Seconds idle before reading RSS.") var idleSeconds = 5

        func run() async throws {
            try await ServeBenchmark(binary: binary.resolved, runs: runs, idle: .seconds(idleSeconds)).run().print()
        }
    }

    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scheduling, pickup latency, throughput and idle CPU of durable jobs (SQLite; PostgreSQL with CASEBOOK_TEST_POSTGRES_URL).")
        @OptionGroup var binary: BinaryOption
        @Option(help: "Future jobs to schedule.") var futureJobs = 100_000
        @Option(help: "Jobs per transaction when scheduling them.") var perTransaction = 1
        @Option(help: "Pickup latency samples.") var pickups = 1_000
        @Option(help: "Due jobs for the throughput run.") var throughputJobs = 10_000
        @Option(help: "Seconds of idleness for the CPU figures.") var idleSeconds = 10
        @Flag(help: "Skip the idle `casebook serve` measurement.") var skipHost = false
        @Option(parsing: .upToNextOption, help: "Databases: sqlite, postgresql, or none (only the idle host).") var backend: [String] = ["sqlite", "postgresql"]
        @Option(help: "Seconds of idleness for `casebook serve`; longer than the SQLite re-check (30 s) to include one.")
        var hostIdleSeconds = 40

        func run() async throws {
            let backends = try backend.filter { $0 != "none" }.map { name in
                guard let backend = ScratchDatabase.Backend(rawValue: name) else { throw ValidationError("unknown backend \(name)") }
                return backend
            }
            let benchmark = JobsBenchmark(
                backends: backends, futureJobs: futureJobs, perTransaction: perTransaction, pickups: pickups, throughputJobs: throughputJobs,
                idle: .seconds(idleSeconds), hostIdle: .seconds(hostIdleSeconds), binary: skipHost ? nil : binary.resolved)
            for table in try await benchmark.run() { table.print() }
        }
    }

    struct Cases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "/case open with 50 ms Web API latency; stats and export over 100,000 cases.")
        @Option(help: "Measured opens.") var opens = 15
        @Option(help: "Cases for stats and export.") var cases = 100_000
        @Option(help: "Runs of stats and of each export.") var repeats = 5

        func run() async throws {
            for table in try await CasesBenchmark(opens: opens, cases: cases, repeats: repeats).run() { table.print() }
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Grafana OnCall webhook → war room with 50 ms Web API latency.")
        @Option(help: "Measured alerts.") var alerts = 15

        func run() async throws {
            try await AlertsBenchmark(alerts: alerts).run().print()
        }
    }

    struct All: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every benchmark with its defaults.")
        @OptionGroup var binary: BinaryOption

        func run() async throws {
            for table in try await AckBenchmark(binary: binary.resolved).run() { table.print() }
            try await ServeBenchmark(binary: binary.resolved).run().print()
            for table in try await JobsBenchmark(binary: binary.resolved).run() { table.print() }
            for table in try await CasesBenchmark().run() { table.print() }
            try await AlertsBenchmark().run().print()
        }
    }
}
