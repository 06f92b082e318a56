import CasebookKit
import CasebookTesting
import Synchronization

/// Socket Mode ack latency and throughput of `/case ping` through the real host on loopback.
///
/// The simulator times each envelope from writing it to the socket until the ack frame arrives
/// (`Ack.latency`); `inFlight` workers each send their next command as soon as the previous one is
/// acked, so exactly that many commands are outstanding at any time.
struct AckBenchmark {
    var levels: [Int] = [1, 10, 100]
    var commandsPerLevel = 5_000
    var warmUp = 500

    struct Result: Sendable {
        var inFlight: Int
        var samples: Samples
        var wall: Duration
        var failures: Int
    }

    func run() async throws -> Table {
        let levels = levels
        let commandsPerLevel = commandsPerLevel
        let warmUp = warmUp
        let results = try await TestHost.withRunning(
            plugins: [BenchPlugin.self], config: BenchPlugin.configuration, logLevel: .error, realTime: true
        ) { host in
            progress("ack: host up with \(host.simulator.openSocketCount) sockets; warming up (\(warmUp) commands)")
            _ = try await Self.load(host, inFlight: 10, commands: warmUp)
            var results: [Result] = []
            for level in levels {
                progress("ack: \(commandsPerLevel) commands, \(level) in flight")
                results.append(try await Self.load(host, inFlight: level, commands: commandsPerLevel))
            }
            return results
        }
        var table = Table("Socket Mode ack of `/case ping` through the host (loopback)", columns: [
            "in flight", "commands", "p50", "p99", "max", "throughput", "target p99 < 5 ms",
        ])
        for result in results {
            table.add(
                "\(result.inFlight)", "\(result.samples.count)", Format.ms(result.samples.p50), Format.ms(result.samples.p99),
                Format.ms(result.samples.maximum), Format.rate(result.samples.count, in: result.wall),
                result.inFlight == 100 ? Format.verdict(result.samples.p99 < .milliseconds(5)) : "")
            if result.failures > 0 { table.note("\(result.failures) commands at \(result.inFlight) in flight were not answered with `pong`") }
        }
        table.note("Latency: simulator writes the envelope → ack frame received (`Ack.latency`); the ack carries the `pong` reply.")
        table.note("Host: 2 Socket Mode connections (default), middleware chain (audit log, workspace allowlist, user policy, rate limit), SQLite database.")
        return table
    }

    /// Sends `commands` pings with `inFlight` outstanding at a time.
    static func load(_ host: TestHost, inFlight: Int, commands: Int) async throws -> Result {
        let simulator = host.simulator
        let payload = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "ping")
        let remaining = Countdown(commands)
        let started = ContinuousClock.now
        let (samples, failures) = try await withThrowingTaskGroup(of: (Samples, Int).self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    var samples = Samples()
                    var failures = 0
                    while remaining.take() {
                        let ack = try await simulator.deliver(.slashCommands, payload: payload)
                        samples.append(ack.latency)
                        if !ack.acked || ack.payload?["text"]?.string != "pong" { failures += 1 }
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
        return Result(inFlight: inFlight, samples: samples, wall: .now - started, failures: failures)
    }
}

/// Hands out a fixed number of turns to concurrent workers.
private final class Countdown: Sendable {
    private let remaining: Atomic<Int>
    init(_ count: Int) { remaining = Atomic(count) }
    /// True while turns are left (and takes one).
    func take() -> Bool { remaining.subtract(1, ordering: .relaxed).oldValue > 0 }
}
