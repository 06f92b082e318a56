import CasebookKit

/// Keeps the host's tables from growing without bound: once an hour (on the injected clock) it
/// deletes finished jobs (`done`, `cancelled`) older than the job retention, and delivery ids
/// older than ``deliveryRetention``. Dead jobs stay until an operator retries or cancels them.
/// Deletes are idempotent, so every replica may run it.
public struct Housekeeping: Service {
    let database: Database
    let clock: any WallClock
    let jobRetention: Duration
    /// Long past any sender's redelivery window (Slack's is an hour, Alertmanager's a few).
    let deliveryRetention: Duration
    let interval: Duration
    let logger: Logger

    public init(
        database: Database, clock: any WallClock, jobRetention: Duration = .seconds(7 * 86_400),
        deliveryRetention: Duration = .seconds(30 * 86_400), interval: Duration = .seconds(3600), logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.jobRetention = jobRetention
        self.deliveryRetention = deliveryRetention
        self.interval = interval
        self.logger = logger
    }

    /// Returns (never throws) on graceful shutdown, so stopping the host is not reported as a failure.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await sweep()
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("housekeeping could not reach the database", metadata: ["error": "\(Database.describe(error))"])
                }
                do {
                    try await clock.sleep(until: clock.now().addingTimeInterval(interval.timeInterval))
                } catch {
                    return
                }
            }
        }
    }

    /// One pass; returns how many jobs and deliveries it deleted.
    @discardableResult
    public func sweep() async throws -> (jobs: Int, deliveries: Int) {
        let now = clock.now()
        let jobsBefore = millis(now.addingTimeInterval(-jobRetention.timeInterval))
        let deliveriesBefore = millis(now.addingTimeInterval(-deliveryRetention.timeInterval))
        let deleted: (jobs: Int, deliveries: Int) = try await database.inTransaction { sql in
            let jobs = try await sql.raw("""
                DELETE FROM casebook_jobs WHERE state IN ('done', 'cancelled') AND updated_at < \(bind: jobsBefore) RETURNING id
                """).all().count
            let deliveries = try await sql.raw("""
                DELETE FROM casebook_deliveries WHERE seen_at < \(bind: deliveriesBefore) RETURNING key
                """).all().count
            return (jobs: jobs, deliveries: deliveries)
        }
        if deleted.jobs + deleted.deliveries > 0 {
            logger.info("housekeeping", metadata: ["jobs_deleted": "\(deleted.jobs)", "deliveries_deleted": "\(deleted.deliveries)"])
        }
        return deleted
    }
}
