import CasebookKit

/// Which plugins receive each domain event: built once from the plugin registry's subscriptions
/// and handed to the database (``Database/routeEvents(_:)``) before any plugin runs, so the
/// outbox inserts exactly one delivery job per subscribing plugin and the runner delivers only
/// what was routed.
public struct EventRouter: Sendable, Equatable {
    /// `[eventName: [subscriberPlugin]]`, each plugin once per event, in the order first given.
    public let subscribers: [String: [String]]

    /// Routes nothing: every publish is a no-op and every `event:` job has no handler.
    public static let empty = EventRouter(subscriptions: [:])

    /// A plugin listed twice for an event is one subscriber: one delivery runs all its handlers.
    public init(subscriptions: [String: [String]]) {
        subscribers = subscriptions.compactMapValues { plugins in
            var seen: Set<String> = []
            let unique = plugins.filter { seen.insert($0).inserted }
            return unique.isEmpty ? nil : unique
        }
    }

    /// The plugins a published `eventName` is delivered to, one delivery each.
    public func subscribers(of eventName: String) -> [String] {
        subscribers[eventName] ?? []
    }

    /// Whether `plugin` receives `eventName` (a delivery job for anyone else has no handler).
    public func delivers(_ eventName: String, to plugin: String) -> Bool {
        subscribers[eventName]?.contains(plugin) == true
    }
}
