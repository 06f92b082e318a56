import CasebookKit

/// A plugin's storage. Its transactions hand out job, event and audit handles that write in the same
/// transaction, because store calls made inside a transaction join it (see ``Database``).
struct PluginStore: PluginStorage {
    let database: Database
    let plugin: String

    var dialect: String { database.dialect }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.withSession(body)
    }

    func transaction<T: Sendable>(_ body: @Sendable (Transaction) async throws -> T) async throws -> T {
        let database = database
        let plugin = plugin
        return try await database.inTransaction { sql in
            try await body(Transaction(
                sql: sql, events: database.events(plugin: plugin), jobs: database.jobs(plugin: plugin),
                audit: database.audit(plugin: plugin), deliveries: database.deliveries(plugin: plugin)
            ))
        }
    }
}

/// Schedules jobs of one plugin.
struct PluginJobs: JobScheduling {
    let database: Database
    let plugin: String

    @discardableResult
    func schedule(name: String, payload: JSONValue, at date: Date, dedupeKey: String?, maxAttempts: Int?) async throws -> Int64 {
        let database = database
        let plugin = plugin
        let now = millis(database.clock.now())
        let text = payload.encoded()
        return try await database.inTransaction { sql in
            let id = try await JobQueue.insert(
                sql, plugin: plugin, name: name, payload: text, runAt: millis(date), dedupeKey: dedupeKey, maxAttempts: maxAttempts, now: now
            )
            database.jobsChanged()
            return id
        }
    }

    @discardableResult
    func cancel(dedupeKey: String) async throws -> Bool {
        let plugin = plugin
        let now = millis(database.clock.now())
        return try await database.withSession { sql in
            try await JobQueue.cancel(sql, plugin: plugin, dedupeKey: dedupeKey, now: now)
        }
    }

    func pending(dedupeKeyPrefix prefix: String) async throws -> [ScheduledJob] {
        let plugin = plugin
        return try await database.withSession { sql in try await JobQueue.pending(sql, plugin: plugin, prefix: prefix) }
    }

    func retry(jobID: Int64) async throws -> Bool {
        let database = database
        let plugin = plugin
        let now = millis(database.clock.now())
        let retried = try await database.inTransaction { sql in
            guard try await JobQueue.owner(sql, id: jobID) == plugin else { return false }
            return try await JobQueue.retry(sql, id: jobID, now: now)
        }
        if retried { database.jobsChanged() }
        return retried
    }

    func jobs(states: [String]) async throws -> [ScheduledJob] {
        let plugin = plugin
        return try await database.withSession { sql in try await JobQueue.list(sql, plugin: plugin, states: states, limit: 500) }
    }

    func deadJobs(mentioning subject: String, limit: Int) async throws -> [ScheduledJob] {
        let postgres = database.dialect == "postgresql"
        return try await database.withSession { sql in
            try await JobQueue.dead(sql, postgres: postgres, mentioning: JobQueue.quoted(subject), limit: limit)
        }
    }

    func retry(deadJobID: Int64, mentioning subject: String) async throws -> Bool {
        let database = database
        let postgres = database.dialect == "postgresql"
        let now = millis(database.clock.now())
        let retried = try await database.inTransaction { sql in
            let dead = try await JobQueue.dead(sql, postgres: postgres, mentioning: JobQueue.quoted(subject), limit: 1, id: deadJobID)
            guard !dead.isEmpty else { return false }
            return try await JobQueue.retry(sql, id: deadJobID, now: now)
        }
        if retried { database.jobsChanged() }
        return retried
    }

    func everyPluginsJobs(states: [String], limit: Int) async throws -> (jobs: [ScheduledJob], total: Int) {
        guard !states.isEmpty else { return ([], 0) }
        return try await database.withSession { sql in
            (try await JobQueue.list(sql, states: states, limit: limit), try await JobQueue.count(sql, states: states))
        }
    }

    func retry(anyDeadJobID jobID: Int64) async throws -> Bool {
        try await database.retryJob(id: jobID)
    }
}

/// Remembers one plugin's deliveries in `casebook_deliveries`; joins the caller's transaction.
struct PluginDeliveries: DeliveryLog {
    let database: Database
    let plugin: String

    func firstSeen(_ key: String) async throws -> Bool {
        let plugin = plugin
        let now = millis(database.clock.now())
        return try await database.inTransaction { sql in
            try await !sql.raw("""
                INSERT INTO casebook_deliveries (plugin, key, seen_at) VALUES (\(bind: plugin), \(bind: key), \(bind: now))
                ON CONFLICT (plugin, key) DO NOTHING
                RETURNING key
                """).all().isEmpty
        }
    }
}

/// Publishes a plugin's domain events through the outbox: one delivery job (`event:<name>`) per
/// subscribing plugin, inserted in the caller's transaction, so an event exists iff its change committed.
struct PluginEvents: EventPublishing {
    static let jobPrefix = "event:"
    let database: Database
    let plugin: String

    func publish(name: String, payload: JSONValue) async throws {
        // Before the host routed events nobody could be told: fail rather than lose the event.
        guard let router = database.eventRouter else { throw StoreError.eventsNotRouted(event: name) }
        let subscribers = router.subscribers(of: name)
        guard !subscribers.isEmpty else { return }
        let database = database
        let now = millis(database.clock.now())
        let text = payload.encoded()
        try await database.inTransaction { sql in
            for subscriber in subscribers {
                _ = try await JobQueue.insert(
                    sql, plugin: subscriber, name: Self.jobPrefix + name, payload: text, runAt: now, dedupeKey: nil, now: now
                )
            }
            database.jobsChanged()
        }
    }
}

extension Database {
    /// The storage handle given to `plugin` (its own tables; transactions with jobs, events and audit).
    public func storage(plugin: String) -> any PluginStorage {
        PluginStore(database: self, plugin: plugin)
    }

    /// The job scheduler of `plugin`.
    public func jobs(plugin: String) -> any JobScheduling {
        PluginJobs(database: self, plugin: plugin)
    }

    /// The delivery log of `plugin` (``DeliveryLog``).
    public func deliveries(plugin: String) -> any DeliveryLog {
        PluginDeliveries(database: self, plugin: plugin)
    }

    /// The approval gate of `plugin`.
    public func approvals(plugin: String) -> any ApprovalGate {
        ApprovalStore(database: self, plugin: plugin)
    }

    /// The event publisher of `plugin`; subscribers come from the router given to ``routeEvents(_:)``.
    public func events(plugin: String) -> any EventPublishing {
        PluginEvents(database: self, plugin: plugin)
    }
}
