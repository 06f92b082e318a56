/// A typed event one plugin publishes and others subscribe to (`CaseEscalated`, `SeverityChanged`).
/// Delivery to each subscriber is a durable job: at least once, so subscribers must be idempotent.
public protocol DomainEvent: Codable, Sendable {
    /// Stable wire name, e.g. `cases.escalated`.
    static var name: String { get }
}

public protocol EventPublishing: Sendable {
    func publish(name: String, payload: JSONValue) async throws
}

extension EventPublishing {
    public func publish<E: DomainEvent>(_ event: E) async throws {
        try await publish(name: E.name, payload: try JSONValue.from(event))
    }
}
