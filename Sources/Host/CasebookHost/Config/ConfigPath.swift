/// A dotted key path into `plugins.yaml` (`plugins.roles.config.channels[1]`), the way problems name
/// the place they are about.
struct ConfigPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component]

    init(_ components: [Component] = []) {
        self.components = components
    }

    init(keys: String...) {
        self.components = keys.map(Component.key)
    }

    func appending(_ component: Component) -> ConfigPath {
        ConfigPath(components + [component])
    }

    func appending(key: String) -> ConfigPath {
        appending(.key(key))
    }

    func appending(_ other: ConfigPath) -> ConfigPath {
        ConfigPath(components + other.components)
    }

    /// Whether this path is `other` or lies above it.
    func isPrefix(of other: ConfigPath) -> Bool {
        other.components.starts(with: components)
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A 1-based line and column in the configuration file (Yams' `Mark` has no public initializer).
struct SourcePosition: Hashable, Sendable {
    var line: Int
    var column: Int

    static let unknown = SourcePosition(line: 0, column: 0)
}
