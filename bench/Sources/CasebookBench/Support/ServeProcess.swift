import CasebookKit
import AsyncHTTPClient
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// The built `casebook` binary running `serve` as a child process against a simulator of this
/// process: the way it runs in production, only Slack is local.
final class ServeProcess: Sendable {
    let pid: Int32
    let port: Int
    let spawnedAt: ContinuousClock.Instant
    let logPath: String
    private let process: SendableProcess
    private let exits: AsyncStream<Int32>

    /// `Process` is used from one task at a time here; the wrapper only carries it across.
    private final class SendableProcess: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
    }

    /// Starts `binary serve` with Socket Mode credentials of `simulator`, `configuration` (by
    /// default the Cases plugin), and `databasePath` as its SQLite database.
    init(binary: String, simulator: SlackSimulator, databasePath: String, directory: URL, configuration: String = configuration) throws {
        let config = directory.appendingPathComponent("plugins.yaml")
        try configuration.write(to: config, atomically: true, encoding: .utf8)
        let port = try Self.freePort()
        let log = directory.appendingPathComponent("serve-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--config", config.path, "--host", "127.0.0.1"]
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        environment["SLACK_BOT_TOKEN"] = simulator.botToken
        environment["SLACK_APP_TOKEN"] = simulator.appToken
        environment["SLACK_API_URL"] = simulator.apiURL
        environment["DATABASE_URL"] = "sqlite:\(databasePath)"
        environment["PORT"] = String(port)
        environment["ISSUES_CHANNEL_ID"] = "C0INCIDENTS"
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        let (exits, exited) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exited.yield(finished.terminationStatus)
            exited.finish()
        }
        spawnedAt = .now
        try process.run()
        try? logHandle.close()
        self.process = SendableProcess(process)
        self.pid = process.processIdentifier
        self.port = port
        self.logPath = log.path
        self.exits = exits
    }

    /// Sends SIGTERM and waits (bounded) for the exit status; SIGKILL if it does not stop.
    func terminate(timeout: Duration = .seconds(30)) async -> (status: Int32?, took: Duration) {
        let started = ContinuousClock.now
        kill(pid, SIGTERM)
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { [exits] in
                for await status in exits { return status }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if status == nil { kill(pid, SIGKILL) }
        return (status, .now - started)
    }

    /// Polls `GET /readyz` until it answers 200; returns when that happened.
    func waitUntilReady(client: HTTPClient, timeout: Duration = .seconds(30)) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")
            request.method = .GET
            if let response = try? await client.execute(request, timeout: .milliseconds(500)) {
                let ready = response.status == .ok
                _ = try? await response.body.collect(upTo: 1 << 16)
                if ready { return .now }
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchError("casebook serve was not ready within \(timeout); see \(logPath)")
    }

    /// The Cases plugin alone, as a team would start; the rate limit is left at its default.
    static let configuration = """
        host:
          slash_command: /case
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: ${ISSUES_CHANNEL_ID}

        """

    /// A port the kernel just handed out and released (the child binds it a moment later).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw BenchError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw BenchError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard named == 0 else { throw BenchError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Where the `casebook` binary of the same build configuration as this bench lives.
    static func defaultBinary() -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("casebook").path
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
