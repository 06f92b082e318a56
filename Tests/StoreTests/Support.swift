import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Synchronization
import Testing

let testLogger: Logger = {
    var logger = Logger(label: "casebook.store.tests")
    // CASEBOOK_TEST_LOG=debug shows the store's and runner's logs.
    logger.logLevel = ProcessInfo.processInfo.environment["CASEBOOK_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}()

extension TestDatabase {
    /// Opens this database with the store tests' logger (quiet unless CASEBOOK_TEST_LOG is set).
    func open<T: Sendable>(clock: any WallClock, migrate: Bool = true, _ body: (Database) async throws -> T) async throws -> T {
        try await open(clock: clock, logger: testLogger, migrate: migrate, body)
    }
}

/// Runs `runner` for the duration of `body`, then cancels it (a hard stop, like a killed process
/// would, except that in-flight jobs may be handed back).
func withRunner<T: Sendable>(_ runner: JobRunner, _ body: () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
        group.addTask { try await runner.run() }
        do {
            let result = try await body()
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

struct Timeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Waits (bounded, polling every few milliseconds) until `condition` holds; no timing assertions.
func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw Timeout(what: what)
}

/// A thread-safe list of what handlers saw.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    init() {}
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// A latch a handler can wait on (cancellation ends the wait with an error).
final class Gate: Sendable {
    private let open = Mutex(false)
    init() {}
    func release() { open.withLock { $0 = true } }
    var isOpen: Bool { open.withLock { $0 } }
    func wait() async throws {
        while !open.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

struct Boom: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Database {
    func jobs(in states: [String]) async throws -> [ScheduledJob] {
        try await listJobs(states: states)
    }
}
