/// The typed name of a durable job. Declare one per job kind: `static let remind = JobKey<Reminder>("remind")`.
public struct JobKey<Payload: Codable & Sendable>: Sendable, Hashable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// Schedules durable jobs owned by the calling plugin.
public protocol JobScheduling: Sendable {
    /// Schedules `payload` to run at `date`. With a `dedupeKey`, scheduling the same key again while
    /// a job with it is pending replaces its time and payload instead of adding a second job.
    /// `maxAttempts` overrides the runner's default number of attempts for this job.
    @discardableResult
    func schedule(name: String, payload: JSONValue, at date: Date, dedupeKey: String?, maxAttempts: Int?) async throws -> Int64
    /// Cancels the pending job with this dedupe key, if any. Returns whether one was cancelled.
    @discardableResult
    func cancel(dedupeKey: String) async throws -> Bool
    /// Pending jobs of this plugin whose dedupe key starts with `prefix`.
    func pending(dedupeKeyPrefix prefix: String) async throws -> [ScheduledJob]
    /// Puts this plugin's dead job back in the queue to run now. False if it is not dead (it
    /// succeeded, or was retried already).
    func retry(jobID: Int64) async throws -> Bool
    /// This plugin's jobs in `states` (`pending`, `running`, `dead`, …), soonest first.
    func jobs(states: [String]) async throws -> [ScheduledJob]
    /// Dead jobs of every plugin whose payload names `subject` (a case id as a JSON string),
    /// most recent first, at most `limit`: what failed for good about one thing (`/case status`).
    func deadJobs(mentioning subject: String, limit: Int) async throws -> [ScheduledJob]
    /// Puts a dead job of any plugin back in the queue to run now, only if its payload names
    /// `subject`, so a button about one case retries nothing else. False if it is not such a dead job.
    func retry(deadJobID: Int64, mentioning subject: String) async throws -> Bool
    /// Jobs of every plugin in `states`, soonest first, at most `limit`, and how many there are in
    /// all: the operator's view (`/case jobs`, like `casebook jobs`). Only for workspace admins.
    func everyPluginsJobs(states: [String], limit: Int) async throws -> (jobs: [ScheduledJob], total: Int)
    /// Puts any plugin's dead job back in the queue to run now (an admin's Retry in `/case jobs`).
    /// False if it is not dead (it was retried already, or it is gone).
    func retry(anyDeadJobID jobID: Int64) async throws -> Bool
}

extension JobScheduling {
    public func deadJobs(mentioning subject: String, limit: Int) async throws -> [ScheduledJob] { [] }
    public func retry(deadJobID: Int64, mentioning subject: String) async throws -> Bool { false }
    public func everyPluginsJobs(states: [String], limit: Int) async throws -> (jobs: [ScheduledJob], total: Int) { ([], 0) }
    public func retry(anyDeadJobID jobID: Int64) async throws -> Bool { false }

    @discardableResult
    public func schedule(name: String, payload: JSONValue, at date: Date, dedupeKey: String?) async throws -> Int64 {
        try await schedule(name: name, payload: payload, at: date, dedupeKey: dedupeKey, maxAttempts: nil)
    }

    @discardableResult
    public func schedule<P>(_ key: JobKey<P>, _ payload: P, at date: Date, dedupeKey: String? = nil) async throws -> Int64 {
        try await schedule(name: key.name, payload: try JSONValue.from(payload), at: date, dedupeKey: dedupeKey)
    }
}

/// A job waiting to run, as listed to users.
public struct ScheduledJob: Sendable, Equatable {
    public var id: Int64
    public var plugin: String
    public var name: String
    public var runAt: Date
    public var dedupeKey: String?
    public var attempts: Int
    public var state: String
    public var lastError: String?

    public init(id: Int64, plugin: String, name: String, runAt: Date, dedupeKey: String?, attempts: Int, state: String, lastError: String?) {
        self.id = id
        self.plugin = plugin
        self.name = name
        self.runAt = runAt
        self.dedupeKey = dedupeKey
        self.attempts = attempts
        self.state = state
        self.lastError = lastError
    }
}
