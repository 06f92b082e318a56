import CasebookKit
import CasebookNIO
import CasebookTesting
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Socket Mode ack latency and throughput through the real host on loopback.
///
/// The simulator times each envelope from handing it to its socket until the ack frame arrives
/// (`Ack.latency`); `inFlight` workers each send their next command as soon as the previous one is
/// acked, so exactly that many commands are outstanding at any time.
///
/// Two set-ups: `serve` runs the built `casebook serve` binary as a child process (Slack is this
/// process, as it is another machine in production) and answers `/case help` from the plugins'
/// registrations; `serve-load` drives the same child from a ``LoadGenerator`` that costs next to
/// no CPU, as Slack costs the host's machine nothing in production; `in-process` runs host and simulator in this process with a plugin that answers
/// `/case ping`, which profiles both sides together.
struct AckBenchmark {
    enum Setup: String, CaseIterable, Sendable {
        case serve
        /// `casebook serve` driven by the lean ``LoadGenerator`` instead of the simulator.
        case serveLoad = "serve-load"
        case inProcess = "in-process"
    }

    var setups: [Setup] = [.serve, .serveLoad, .inProcess]
    var binary: String = ServeProcess.defaultBinary()
    var levels: [Int] = [1, 10, 100]
    var commandsPerLevel = 5_000
    var warmUp = 1_000
    /// What the `serve` and `serve-load` set-ups send (`in-process` always sends `/case ping`).
    var command: AckCommand = .help
    /// Open cases written into the child's database before the warm-up (at least one for `status`).
    var openCases = 0

    /// The cases actually seeded: `/case status` needs a case channel.
    var seededCases: Int { command == .status ? max(openCases, 1) : openCases }

    struct Result: Sendable {
        var inFlight: Int
        var samples: Samples
        var wall: Duration
        var failures: Int
        /// CPU time of the host process and of this (Slack's) process over the level.
        var hostCPU: Duration?
        var slackCPU: Duration?
        /// The host's own view: receipt of the envelope → ack written (`slack_ack_latency_seconds`).
        var hostSide: HostSide?
    }

    enum HostSide: Sendable {
        /// Every value, from the in-process metrics tap.
        case exact(Samples)
        /// `casebook serve`'s histogram over the level.
        case histogram(AckLatencyHistogram)

        var summary: String {
            switch self {
            case .exact(let samples):
                return "\(Format.ms(samples.p50)) / \(Format.ms(samples.p99))"
            case .histogram(let histogram):
                func bound(_ q: Double) -> String { histogram.upperBound(of: q).map { "≤ \(Format.ms($0 * 1000))" } ?? "?" }
                return "\(bound(0.5)) / \(bound(0.99)); \(Format.percent(histogram.share(atMost: 0.005) * 100)) ≤ 5 ms"
            }
        }
    }

    /// What a load sends and what a correct answer looks like.
    struct Probe: Sendable {
        var text: String
        var channel = "general"
        var answers: @Sendable (JSONValue?) -> Bool
    }

    func run() async throws -> [Table] {
        var tables: [Table] = []
        for setup in setups {
            switch setup {
            case .serve: tables.append(try await runServe())
            case .serveLoad: tables.append(try await runServeLoad())
            case .inProcess: tables.append(try await runInProcess())
            }
        }
        return tables
    }

    private func runServe() async throws -> Table {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no casebook binary at \(binary); build it (swift build -c release --product casebook) or pass --binary")
        }
        let (binary, levels, commands, warmUp, command, cases) = (binary, levels, commandsPerLevel, warmUp, command, seededCases)
        let results = try await ServeBenchmark.withSimulator { simulator, client, directory in
            let database = directory.appendingPathComponent("ack.sqlite").path
            let child = try ServeProcess(
                binary: binary, simulator: simulator, databasePath: database, directory: directory, configuration: Self.serveConfiguration)
            do {
                _ = try await child.waitUntilReady(client: client)
                try await OpenCaseSeeder.seed(cases, sqlitePath: database)
                try await simulator.waitForSockets(2, timeout: .seconds(30))
                // Every answer must be the command's reply; it is checked once by content, then by
                // equality, so checking costs the load generator next to nothing.
                let payload = try simulator.slashCommand(user: "alice", channel: command.channel, command: "/case", text: command.rawValue)
                let first = try await simulator.deliver(.slashCommands, payload: payload).payload
                guard command.accepts(first, openCases: cases), let reply = first?["text"]?.string else {
                    throw BenchError("/case \(command.rawValue) did not answer as expected: \(first?["text"]?.string ?? "no reply")")
                }
                let probe = Probe(text: command.rawValue, channel: command.channel) { $0?["text"]?.string == reply }
                progress("ack (serve): casebook serve is up with 2 sockets; warming up (\(warmUp) commands)")
                _ = try await Self.load(simulator, probe: probe, inFlight: 10, commands: warmUp, hostPID: child.pid)
                var results: [Result] = []
                for level in levels {
                    progress("ack (serve): \(commands) commands, \(level) in flight")
                    let before = try await AckLatencyHistogram.scrape(client: client, port: child.port)
                    var result = try await Self.load(simulator, probe: probe, inFlight: level, commands: commands, hostPID: child.pid)
                    result.hostSide = .histogram(try await AckLatencyHistogram.scrape(client: client, port: child.port).since(before))
                    results.append(result)
                }
                _ = await child.terminate()
                return results
            } catch {
                _ = await child.terminate()
                throw error
            }
        }
        var table = Self.table("Socket Mode ack of \(command.label(openCases: cases)) by `casebook serve` (child process, loopback)", results)
        table.note("Host: the `casebook serve` binary (\(binary)) with the Cases plugin, 2 Socket Mode connections, the full middleware chain, SQLite; \(command.replyNote(openCases: cases)).")
        table.note("Slack: the simulator in the benchmark process. CPU per ack is each process's user + system time over the level divided by the commands.")
        return table
    }

    private func runServeLoad() async throws -> Table {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no casebook binary at \(binary); build it (swift build -c release --product casebook) or pass --binary")
        }
        let (binary, levels, commands, warmUp, command, cases) = (binary, levels, commandsPerLevel, warmUp, command, seededCases)
        let results = try await ServeBenchmark.withSimulator { simulator, client, directory in
            // Every answer must be the command's reply: the generator parses the first ack of a run
            // and compares every later one with it byte for byte.
            let payload = try simulator.slashCommand(user: "alice", channel: command.channel, command: "/case", text: command.rawValue)
            let generator = try await LoadGenerator.bind(payload: payload) { reply in command.accepts(reply, openCases: cases) }
            simulator.handOutSockets(at: generator.baseURL)
            let database = directory.appendingPathComponent("ack.sqlite").path
            let child: ServeProcess
            do {
                child = try ServeProcess(
                    binary: binary, simulator: simulator, databasePath: database, directory: directory, configuration: Self.serveConfiguration)
            } catch {
                await generator.stop()
                throw error
            }
            do {
                _ = try await child.waitUntilReady(client: client)
                try await OpenCaseSeeder.seed(cases, sqlitePath: database)
                try await generator.waitForSockets(2, timeout: .seconds(30))
                progress("ack (serve-load): casebook serve is up with 2 sockets on the load generator; warming up (\(warmUp) commands)")
                let warm = try await generator.run(inFlight: 10, commands: warmUp)
                guard warm.failures == 0 else { throw BenchError("\(warm.failures) of the warm-up commands were not answered as expected") }
                var results: [Result] = []
                for level in levels {
                    progress("ack (serve-load): \(commands) commands, \(level) in flight")
                    let before = try await AckLatencyHistogram.scrape(client: client, port: child.port)
                    let hostBefore = ProcessStats.cpuTime(pid: child.pid)
                    let generatorBefore = ProcessStats.cpuTime()
                    let outcome = try await generator.run(inFlight: level, commands: commands)
                    let generatorCPU = ProcessStats.cpuTime() - generatorBefore
                    let hostCPU = hostBefore.flatMap { before in ProcessStats.cpuTime(pid: child.pid).map { $0 - before } }
                    var result = Result(
                        inFlight: level, samples: outcome.latencies, wall: outcome.wall, failures: outcome.failures, hostCPU: hostCPU,
                        slackCPU: generatorCPU)
                    result.hostSide = .histogram(try await AckLatencyHistogram.scrape(client: client, port: child.port).since(before))
                    results.append(result)
                }
                _ = await child.terminate()
                await generator.stop()
                return results
            } catch {
                _ = await child.terminate()
                await generator.stop()
                throw error
            }
        }
        var table = Self.table(
            "Socket Mode ack of \(command.label(openCases: cases)) by `casebook serve` (child process, loopback), driven by a lean load generator", results,
            slackColumn: "generator CPU / ack",
            latency: "Latency (p50, p99, max): the generator writes the envelope frame → reads the ack frame, on its one event loop; the ack carries the reply. The target is judged on this round trip.")
        table.note("Host: the `casebook serve` binary (\(binary)) with the Cases plugin, 2 Socket Mode connections, the full middleware chain, SQLite; \(command.replyNote(openCases: cases)).")
        table.note("Slack: the simulator serves the Web API; the sockets are on `LoadGenerator`, plain NIO on one event loop: pre-encoded envelopes with only the id patched, acks matched by a byte scan (the first parsed, later ones compared byte for byte), no task per envelope. CPU per ack is each process's user + system time over the level divided by the commands.")
        return table
    }

    private func runInProcess() async throws -> Table {
        let (levels, commands, warmUp) = (levels, commandsPerLevel, warmUp)
        let probe = Probe(text: "ping", answers: { $0?["text"]?.string == "pong" })
        let results = try await TestHost.withRunning(
            plugins: [BenchPlugin.self], config: BenchPlugin.configuration, logLevel: .error, realTime: true
        ) { host in
            progress("ack (in-process): host up with \(host.simulator.openSocketCount) sockets; warming up (\(warmUp) commands)")
            _ = try await Self.load(host.simulator, probe: probe, inFlight: 10, commands: warmUp, hostPID: nil)
            var results: [Result] = []
            for level in levels {
                progress("ack (in-process): \(commands) commands, \(level) in flight")
                _ = AckLatencyTap.shared.drain()
                var result = try await Self.load(host.simulator, probe: probe, inFlight: level, commands: commands, hostPID: nil)
                result.hostSide = .exact(AckLatencyTap.shared.drain())
                results.append(result)
            }
            return results
        }
        var table = Self.table("Socket Mode ack of `/case ping`, host and simulator in one process (loopback)", results, inProcess: true)
        table.note("Host: a plugin answering `pong`, 2 Socket Mode connections, the full middleware chain, SQLite. Host and simulator share this process and its CPU.")
        return table
    }

    static let simulatorLatency = "Latency (p50, p99, max): the simulator hands the envelope to its socket → the ack frame arrives (`Ack.latency`); the ack carries the reply. The same round trip as the target's, with Slack's side costing ~5× what the load generator costs."

    static func table(
        _ title: String, _ results: [Result], inProcess: Bool = false, slackColumn: String = "Slack CPU / ack",
        latency: String = simulatorLatency
    ) -> Table {
        var table = Table(title, columns: [
            "in flight", "commands", "p50", "p99", "max", "throughput", inProcess ? "CPU / ack (both)" : "host CPU / ack",
            inProcess ? "" : slackColumn, "host-side p50 / p99", "target p99 < 5 ms",
        ].filter { !$0.isEmpty })
        for result in results {
            let perAck = { (cpu: Duration?) in cpu.map { Format.us($0 / max(result.samples.count, 1)) } ?? "" }
            let cpu = inProcess ? [perAck(result.slackCPU)] : [perAck(result.hostCPU), perAck(result.slackCPU)]
            let row = [
                "\(result.inFlight)", "\(result.samples.count)", Format.ms(result.samples.p50), Format.ms(result.samples.p99),
                Format.ms(result.samples.maximum), Format.rate(result.samples.count, in: result.wall),
            ] + cpu + [
                result.hostSide?.summary ?? "",
                result.inFlight == 100 ? Format.verdict(result.samples.p99 < .milliseconds(5)) : "",
            ]
            table.add(row: row)
            if result.failures > 0 { table.note("\(result.failures) commands at \(result.inFlight) in flight were not answered correctly") }
        }
        table.note(latency)
        table.note("Host-side: the host's `slack_ack_latency_seconds`, envelope read → ack written, i.e. without the time the envelope waits in the socket and on Slack's side.")
        return table
    }

    /// Sends `commands` probes with `inFlight` outstanding at a time.
    static func load(_ simulator: SlackSimulator, probe: Probe, inFlight: Int, commands: Int, hostPID: Int32?) async throws -> Result {
        let payload = try simulator.slashCommand(user: "alice", channel: probe.channel, command: "/case", text: probe.text)
        let remaining = Countdown(commands)
        let hostBefore = hostPID.flatMap { ProcessStats.cpuTime(pid: $0) }
        let slackBefore = ProcessStats.cpuTime()
        let started = ContinuousClock.now
        let executor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())
        let (samples, failures) = try await withThrowingTaskGroup(of: (Samples, Int).self) { group in
            for _ in 0..<inFlight {
                group.addTask(executorPreference: executor) {
                    var samples = Samples()
                    var failures = 0
                    while remaining.take() {
                        let ack = try await simulator.deliver(.slashCommands, payload: payload)
                        samples.append(ack.latency)
                        if !ack.acked || !probe.answers(ack.payload) { failures += 1 }
                    }
                    return (samples, failures)
                }
            }
            var all = Samples()
            var failures = 0
            for try await (samples, failed) in group {
                all.append(contentsOf: samples)
                failures += failed
            }
            return (all, failures)
        }
        let wall = ContinuousClock.now - started
        let hostCPU = hostPID.flatMap { pid in hostBefore.flatMap { before in ProcessStats.cpuTime(pid: pid).map { $0 - before } } }
        return Result(
            inFlight: inFlight, samples: samples, wall: wall, failures: failures, hostCPU: hostCPU,
            slackCPU: ProcessStats.cpuTime() - slackBefore)
    }

    /// The Cases plugin with the per-user rate limit out of the way (one simulated user sends
    /// every command).
    static let serveConfiguration = """
        host:
          slash_command: /case
          rate_limit: { per_user: 100000000, per: 60s }
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: ${ISSUES_CHANNEL_ID}

        """
}

/// Hands out a fixed number of turns to concurrent workers.
private final class Countdown: Sendable {
    private let remaining: Atomic<Int>
    init(_ count: Int) { remaining = Atomic(count) }
    /// True while turns are left (and takes one).
    func take() -> Bool { remaining.subtract(1, ordering: .relaxed).oldValue > 0 }
}
