import Foundation
import Glibc
import Synchronization
import Testing

/// The built `casebook` executable, run as a real child process with a controlled environment
/// (nothing inherited but PATH: no SLACK_* variable of the machine leaks in), a working directory
/// of the test's choosing and every wait bounded.
struct CasebookProcess {
    private static let spawning = Mutex<Void>(())

    /// What a finished run printed and how it ended.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        /// True when the process ended by a signal rather than by exiting.
        var signalled: Bool
        var stdout: String
        var stderr: String

        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

        var description: String {
            "exit \(signalled ? "signal " : "")\(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---"
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `.build/<triple>/debug/casebook`, found by walking up from the test bundle (or from this
    /// source file, for runners that start the tests elsewhere).
    static let executable: String? = {
        let fileManager = FileManager.default
        var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        starts.append(Bundle.main.bundleURL)
        for start in starts {
            var directory = start.deletingLastPathComponent()
            while directory.path != "/" {
                let candidate = directory.appendingPathComponent("casebook").path
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                    fileManager.isExecutableFile(atPath: candidate)
                {
                    return candidate
                }
                directory.deleteLastPathComponent()
            }
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let fallback = packageRoot.appendingPathComponent(".build/debug/casebook").path
        return fileManager.isExecutableFile(atPath: fallback) ? fallback : nil
    }()

    /// The repository's root (for its `plugins.yaml`).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func requireExecutable() throws -> String {
        guard let executable else {
            throw Failure(description: "the casebook executable was not found next to the test bundle: run `swift build` (or `swift build --build-tests`) before `swift test`")
        }
        return executable
    }

    /// Runs `casebook arguments…` to completion (killed and reported after `timeout`).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], in directory: TemporaryDirectory, stdin: String? = nil,
        timeout: Duration = .seconds(15)
    ) async throws -> Outcome {
        let running = try start(arguments, environment: environment, in: directory, stdin: stdin)
        return try await running.wait(timeout: timeout)
    }

    /// Starts `casebook arguments…`; standard output and error go to files in `directory`.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], in directory: TemporaryDirectory, stdin: String? = nil
    ) throws -> Running {
        let executable = try requireExecutable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory.url
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path].merging(environment) { _, given in given }
        let name = UUID().uuidString.prefix(8)
        let stdoutPath = directory.file("stdout-\(name).txt")
        let stderrPath = directory.file("stderr-\(name).txt")
        let stdinPath = directory.file("stdin-\(name).txt")
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stdinPath, contents: Data((stdin ?? "").utf8))
        guard let output = FileHandle(forWritingAtPath: stdoutPath), let errors = FileHandle(forWritingAtPath: stderrPath),
            let input = FileHandle(forReadingAtPath: stdinPath)
        else { throw Failure(description: "cannot create the output files in \(directory.path)") }
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        // Foundation's Process.run() has crashed (SIGSEGV in its memcpy) when tests spawned
        // processes at the same instant; one spawn at a time costs nothing measurable.
        try spawning.withLock { _ in try process.run() }
        try? output.close()
        try? errors.close()
        try? input.close()
        return Running(process: process, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// A started process.
    final class Running: @unchecked Sendable {
        // Process is only touched for its pid, isRunning and termination fields, which are thread-safe.
        private let process: Process
        let stdoutPath: String
        let stderrPath: String

        init(process: Process, stdoutPath: String, stderrPath: String) {
            self.process = process
            self.stdoutPath = stdoutPath
            self.stderrPath = stderrPath
        }

        var pid: pid_t { process.processIdentifier }
        var isRunning: Bool { process.isRunning }
        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Sends `signal` (SIGKILL is the crash: Foundation's Process can only terminate or interrupt).
        func send(_ signal: Int32) {
            if process.isRunning { kill(process.processIdentifier, signal) }
        }

        /// Waits up to `timeout` for the process to end; kills it and throws if it does not.
        func wait(timeout: Duration) async throws -> Outcome {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning {
                if ContinuousClock.now >= deadline {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    throw Failure(description: "casebook did not exit within \(timeout)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            process.waitUntilExit()
            return Outcome(
                status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, stdout: stdout,
                stderr: stderr)
        }

        /// Kills the process if it is still running (cleanup after a failed test).
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// A fresh directory under the system temporary directory, removed by ``remove()``.
struct TemporaryDirectory: Sendable {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Copies the repository's plugins.yaml here, so the tests run what a newcomer runs.
    @discardableResult
    func copyRepositoryConfiguration(named name: String = "plugins.yaml") throws -> String {
        let text = try String(contentsOf: CasebookProcess.packageRoot.appendingPathComponent("plugins.yaml"), encoding: .utf8)
        return try write(name, text)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Runs `body` in a new directory and removes it afterwards.
    static func with<T>(_ body: (TemporaryDirectory) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        return try await body(directory)
    }
}

/// The next port ``freeLoopbackPort()`` tries: below the kernel's ephemeral range (32768 and up on
/// Linux), so no connection another test opens between the choice and `serve`'s bind can take it;
/// the random start keeps two test processes apart.
private let nextLoopbackPort = Mutex<Int>(20_000 + Int.random(in: 0..<10_000))

/// A loopback port that is free now and outside the ephemeral range (see ``nextLoopbackPort``):
/// `serve` can't report the port it chose, so the test picks one.
func freeLoopbackPort() throws -> Int {
    for _ in 0..<500 {
        let port = nextLoopbackPort.withLock { next in
            next = next >= 31_999 ? 20_000 : next + 1
            return next
        }
        if try loopbackPortIsFree(port) { return port }
    }
    throw CasebookProcess.Failure(description: "no free loopback port between 20000 and 32000")
}

/// Whether `port` can be bound on 127.0.0.1 (the socket is closed again at once).
private func loopbackPortIsFree(_ port: Int) throws -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw CasebookProcess.Failure(description: "socket() failed: \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return bound == 0
}

/// Polls `condition` every 20 ms until it holds, failing after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        if ContinuousClock.now >= deadline { throw CasebookProcess.Failure(description: "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
