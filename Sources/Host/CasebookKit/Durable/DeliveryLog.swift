/// "Have we seen this delivery before?" for webhooks and other at-least-once inputs, backed by the
/// database and scoped to the plugin. Use it in the transaction that stores what the delivery
/// causes, so a delivery is either new and acted on, or a repeat and ignored — never half of each.
public protocol DeliveryLog: Sendable {
    /// Records `key`; true the first time, false for every repeat.
    func firstSeen(_ key: String) async throws -> Bool
}
