import CasebookKit
@testable import CasebookStore
import Foundation
import Synchronization
import Testing

/// The databases every storage test runs against. PostgreSQL joins when `CASEBOOK_TEST_POSTGRES_URL`
/// is set (`eval "$(bash .ci/postgres.sh)"`), and always in CI, where a missing variable fails.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresVariable = "CASEBOOK_TEST_POSTGRES_URL"
    static var postgresURL: String? { ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 } }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false }

    /// The backends to parameterise over.
    static var enabled: [StoreBackend] { postgresURL != nil || isCI ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

let testLogger: Logger = {
    var logger = Logger(label: "casebook.store.tests")
    // CASEBOOK_TEST_LOG=debug shows the store's and runner's logs.
    logger.logLevel = ProcessInfo.processInfo.environment["CASEBOOK_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}()

/// A fresh, empty database of `backend` for one test: a temp SQLite file, or a new PostgreSQL
/// database created next to the one named by `CASEBOOK_TEST_POSTGRES_URL` (dropped afterwards).
struct ScratchDatabase: Sendable {
    let url: String
    let backend: StoreBackend

    static func with(_ backend: StoreBackend, _ body: (ScratchDatabase) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(ScratchDatabase(url: "sqlite:///" + directory.appendingPathComponent("test.sqlite").path.dropFirst(), backend: backend))
        case .postgres:
            guard let admin = StoreBackend.postgresURL else {
                Issue.record("\(StoreBackend.postgresVariable) is not set; CI must run the PostgreSQL storage tests (eval \"$(bash .ci/postgres.sh)\")")
                return
            }
            let name = "casebook_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            var components = try #require(URLComponents(string: admin))
            components.path = "/" + name
            let url = try #require(components.string)
            try await Database.withDatabase(url: admin, logger: testLogger) { db async throws in
                try await db.storage(plugin: "test").read { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
            }
            do {
                try await body(ScratchDatabase(url: url, backend: backend))
            } catch {
                try? await drop(name, admin: admin)
                throw error
            }
            try? await drop(name, admin: admin)
        }
    }

    private static func drop(_ name: String, admin: String) async throws {
        try await Database.withDatabase(url: admin, logger: testLogger) { db async throws in
            try await db.storage(plugin: "test").read { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
            }
        }
    }

    /// Opens (and by default migrates) a connection to this database; several may be open at once.
    func open<T: Sendable>(
        clock: any WallClock, migrate: Bool = true, _ body: (Database) async throws -> T
    ) async throws -> T {
        try await Database.withDatabase(url: url, clock: clock, logger: testLogger) { db async throws in
            if migrate { try await db.migrate([]) }
            return try await body(db)
        }
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
