/// The job a handler is running for, set by the job runner for the duration of the handler: which
/// attempt this is, so a handler can tell its last try from one that will be repeated.
public struct JobExecution: Sendable, Equatable {
    public var jobID: Int64
    /// 1 on the first run.
    public var attempt: Int
    public var maxAttempts: Int

    public init(jobID: Int64, attempt: Int, maxAttempts: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
    }

    public var isLastAttempt: Bool { attempt >= maxAttempts }

    @TaskLocal public static var current: JobExecution?
}

/// Thrown by a job handler when trying again cannot help (a 400 from a service, a missing page):
/// the runner marks the job `dead` at once instead of backing off. An operator or a Retry button
/// can still run it again.
public struct PermanentJobFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
