import CasebookStore

extension EventRouter {
    /// The registry's subscriptions: each plugin once per event, however many handlers it
    /// registered for it (one delivery runs them all).
    public init(registry: PluginRegistry) {
        self.init(subscriptions: registry.subscribers)
    }
}
