/// A unit of behaviour the host loads when `plugins.yaml` enables it.
///
/// Plugins are registered statically (a list of types in the executable), configured from their
/// section of `plugins.yaml`, and see the world only through a ``PluginContext``.
public protocol Plugin: Sendable {
    /// The plugin's typed configuration, decoded from `plugins.<id>.config`.
    associatedtype Configuration: Decodable & Sendable = NoConfiguration

    /// Key in `plugins.yaml`, storage table prefix, metrics label and default id prefix.
    static var id: String { get }
    /// One line for `check-config`, help and the manifest.
    static var summary: String { get }
    /// Slack scopes, Events API events and other plugins this plugin needs.
    static var requirements: Requirements { get }
    /// What this plugin needs with this configuration: scopes that only some settings use (an
    /// e-mail look-up only with a token) are asked for only then. Defaults to ``requirements``.
    static func requirements(for configuration: Configuration) -> Requirements
    /// Ordered schema migrations of the plugin's own tables (names prefixed with ``id``).
    static var migrations: [Migration] { get }

    init(configuration: Configuration, context: PluginContext) async throws
    func register(_ routes: inout Routes<Self>)
    /// Long-running loops owned by the plugin; the host runs them in its service group.
    var services: [any Service] { get }
}

extension Plugin {
    public static var summary: String { id }
    public static var requirements: Requirements { Requirements() }
    public static func requirements(for configuration: Configuration) -> Requirements { requirements }
    public static var migrations: [Migration] { [] }
    public var services: [any Service] { [] }
}

/// The configuration of a plugin that takes none. Any keys given for it are reported as unknown.
public struct NoConfiguration: Decodable, Sendable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
}

/// What a plugin needs from Slack and from other plugins, declared up front so the host can render
/// a least-privilege manifest and refuse calls outside it.
public struct Requirements: Sendable, Equatable {
    /// Bot token scopes.
    public var scopes: Set<String>
    /// Events API event types the plugin subscribes to (`member_joined_channel`, …).
    public var events: Set<String>
    /// Ids of plugins that must be enabled for this one to work.
    public var dependencies: [String]
    /// Config keys that switch the plugin on under `enabled: auto`: it runs when every one of them
    /// resolves to a non-empty value (typically `${PAGERDUTY_ROUTING_KEY}`), and is off otherwise.
    public var requiredConfigKeys: [String]
    /// The app's Home tab (`features.app_home.home_tab_enabled`): the plugin publishes it with
    /// `views.publish`, usually on `app_home_opened` (which it lists in ``events``).
    public var homeTab: Bool

    public init(
        scopes: Set<String> = [], events: Set<String> = [], dependencies: [String] = [], requiredConfigKeys: [String] = [],
        homeTab: Bool = false
    ) {
        self.scopes = scopes
        self.events = events
        self.dependencies = dependencies
        self.requiredConfigKeys = requiredConfigKeys
        self.homeTab = homeTab
    }
}

/// A plugin that takes no configuration and keeps nothing from its context (it reaches Slack and
/// storage through each invocation): it needs no initializer. Conform to this instead of ``Plugin``.
public protocol StatelessPlugin: Plugin where Configuration == NoConfiguration {
    init()
}

extension StatelessPlugin {
    public init(configuration: NoConfiguration, context: PluginContext) async throws {
        self.init()
    }
}
