/// The plugin's `action_id`s (prefixed with its id, as every plugin's are).
enum ActionID {
    /// Re-reads the providers and updates the snapshot message in place.
    static let refresh = "status_providers.refresh"
}
