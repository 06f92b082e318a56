import CasebookKit

/// The values a ``PluginConfiguration`` gives the keys a file leaves out, read from the stored
/// properties of its `defaults` (a wrapped property `_slugLength` answers for `slugLength`).
struct ConfigurationDefaults {
    private let values: [String: Any]

    init(of type: (some PluginConfiguration).Type) {
        var values: [String: Any] = [:]
        for child in Mirror(reflecting: type.defaults).children {
            guard let label = child.label else { continue }
            values[label.hasPrefix("_") ? String(label.dropFirst()) : label] = child.value
        }
        self.values = values
    }

    /// The default of the property decoded under `key`, unless it is ``Required`` or has none of type `T`.
    func value<T>(for key: any CodingKey, as type: T.Type) -> T? {
        guard !(type is any RequiredConfigurationKey.Type), let value = values[key.stringValue] else { return nil }
        return value as? T
    }
}
