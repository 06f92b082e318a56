import CasebookKit

/// What the runner executes, built by the host from every plugin's routes.
public struct JobHandlers: Sendable {
    public typealias Job = @Sendable (_ payload: JSONValue) async throws -> Void
    public typealias Delivery = @Sendable (_ subscriber: String, _ eventName: String, _ payload: JSONValue) async throws -> Void

    /// A job that fires once per `interval` across all replicas; the handler gets the period's time.
    public struct Recurring: Sendable {
        public var plugin: String
        public var name: String
        public var interval: Duration
        public var handler: @Sendable (Date) async throws -> Void

        public init(plugin: String, name: String, interval: Duration, handler: @escaping @Sendable (Date) async throws -> Void) {
            self.plugin = plugin
            self.name = name
            self.interval = interval
            self.handler = handler
        }

        /// The dedupe key of the recurring job's row.
        public var dedupeKey: String { "recurring:\(name)" }
    }

    /// `[plugin: [jobName: handler]]`.
    public var jobs: [String: [String: Job]]
    public var recurring: [Recurring]
    /// Which plugin an `event:<name>` job may be delivered to (the registry's subscriptions).
    public var events: EventRouter
    /// Delivers one event to one subscriber (the host routes it to the plugin's subscription handler).
    public var deliver: Delivery

    /// `subscriptions` is `[eventName: [subscriberPlugin]]`.
    public init(
        jobs: [String: [String: Job]] = [:], recurring: [Recurring] = [], subscriptions: [String: [String]] = [:],
        deliver: @escaping Delivery = { subscriber, eventName, _ in
            throw JobRunnerError.noHandler(plugin: subscriber, name: "event:" + eventName)
        }
    ) {
        self.jobs = jobs
        self.recurring = recurring
        self.events = EventRouter(subscriptions: subscriptions)
        self.deliver = deliver
    }
}

public enum JobRunnerError: Error, CustomStringConvertible {
    case noHandler(plugin: String, name: String)
    case leaseExpiredTooOften(attempts: Int)

    public var description: String {
        switch self {
        case .noHandler(let plugin, let name):
            "no handler for job \(plugin).\(name) (is the plugin enabled on this replica?)"
        case .leaseExpiredTooOften(let attempts):
            "lease expired on \(attempts) attempts: the runner died or the handler outlived its lease each time"
        }
    }
}
