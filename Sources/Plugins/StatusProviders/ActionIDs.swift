import CasebookKit

/// The plugin's `action_id`s, declared without the prefix the host gives them (`status_providers.refresh`).
enum ActionID {
    /// Re-reads the providers and updates the snapshot message in place.
    static let refresh = ActionKey<StatusProvidersPlugin>("refresh")
}
