/// The typed name of a durable call to a third-party service, the consequence of a state change:
/// `static let trigger = IntegrationCall<Trigger>("trigger", service: "PagerDuty")`.
///
/// Queue it with ``JobScheduling/enqueue(_:_:notice:dedupeKey:at:)`` through the transaction of
/// the change (outbox: the call exists iff the change committed) and handle it with
/// ``Routes/integration(_:_:)``. The job runner retries it with capped exponential backoff for
/// hours (``IntegrationCalls/maxAttempts``), so an outage delays the call instead of losing it;
/// handlers must be idempotent (a dedup key, a client-chosen id, a look-up before a create).
/// When it finally fails — an error retrying cannot fix, or the last attempt — the case channel in
/// its ``FailureNotice`` hears about it once, in words, with a **Retry** button.
public struct IntegrationCall<Payload: Codable & Sendable>: Sendable {
    public let name: String
    /// The service's name, as people know it ("PagerDuty").
    public let service: String

    public init(_ name: String, service: String) {
        self.name = name
        self.service = service
    }
}

/// Where a call that finally failed is reported, and what it was for.
public struct FailureNotice: Codable, Sendable, Equatable {
    /// The channel that hears about the failure (the case channel).
    public var channel: String
    /// The audit subject the failure is recorded on (the case id).
    public var subject: String
    /// What the call was for, completing "could not …": "trigger the PagerDuty incident".
    public var action: String
    /// What to do about a permanent failure: "check `plugins.pagerduty.config.routing_key`".
    public var fix: String?

    public init(channel: String, subject: String, action: String, fix: String? = nil) {
        self.channel = channel
        self.subject = subject
        self.action = action
        self.fix = fix
    }
}

public enum IntegrationCalls {
    /// Attempts of a durable integration call. With the runner's backoff (2 s doubling, capped at an
    /// hour, equal jitter) the last one comes 3–6 hours after the first: a long outage is outlasted.
    public static let maxAttempts = 16
}

/// The job payload of an integration call: the plugin's payload and where to report.
struct IntegrationTicket<Payload: Codable & Sendable>: Codable, Sendable {
    var call: Payload
    var notice: FailureNotice?
}

extension JobScheduling {
    /// Queues `call`. Inside `storage.transaction` use the transaction's `jobs`, so the call commits
    /// with the change that causes it. A `dedupeKey` keeps one pending call per key.
    @discardableResult
    public func enqueue<Payload>(
        _ call: IntegrationCall<Payload>, _ payload: Payload, notice: FailureNotice?, dedupeKey: String? = nil, at date: Date
    ) async throws -> Int64 {
        try await schedule(
            name: call.name, payload: try JSONValue.from(IntegrationTicket(call: payload, notice: notice)), at: date,
            dedupeKey: dedupeKey, maxAttempts: IntegrationCalls.maxAttempts)
    }
}
