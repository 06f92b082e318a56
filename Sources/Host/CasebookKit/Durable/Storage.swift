/// A plugin's view of the database: its own tables through SQLKit's dialect-neutral builder, and
/// transactions in which state changes, events, jobs and audit entries commit together.
public protocol PluginStorage: Sendable {
    /// `sqlite` or `postgresql`, for the rare query that must differ.
    var dialect: String { get }
    /// Runs `body` outside a transaction (reads, single statements).
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in one transaction. Everything done through the ``Transaction`` commits or
    /// rolls back together; the body may be retried on serialization failure, so keep it pure.
    func transaction<T: Sendable>(_ body: @Sendable (Transaction) async throws -> T) async throws -> T
}

/// The handle of a running transaction.
public struct Transaction: Sendable {
    public let sql: any SQLDatabase
    /// Publishes domain events with the transaction (outbox).
    public let events: any EventPublishing
    /// Schedules jobs with the transaction.
    public let jobs: any JobScheduling
    /// Appends to the audit timeline with the transaction.
    public let audit: any AuditRecording
    /// Records deliveries (webhook ids) with the transaction: a repeat is seen as one.
    public let deliveries: any DeliveryLog

    public init(
        sql: any SQLDatabase, events: any EventPublishing, jobs: any JobScheduling, audit: any AuditRecording, deliveries: any DeliveryLog
    ) {
        self.sql = sql
        self.events = events
        self.jobs = jobs
        self.audit = audit
        self.deliveries = deliveries
    }
}
