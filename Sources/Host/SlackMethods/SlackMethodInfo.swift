/// Slack's rate tiers ("per API method per workspace per app", reference/slack.md §5.1).
/// `special` is Slack's "varies" (auth.test, chat.getPermalink, chat.postMessage).
public enum SlackRateTier: String, Sendable, Hashable, CaseIterable {
    case tier1, tier2, tier3, tier4, special
}

/// What the Web API client (and the simulator, which answers as Slack would) needs to know about one
/// method, taken from Slack's own catalogue.
public struct SlackMethodInfo: Sendable, Equatable {
    public var name: String
    /// Bot token scopes; **any one** of them allows the call. Empty: the method needs no scope.
    public var botScopes: [String]
    public var tier: SlackRateTier
    /// Whether Slack accepts an `application/json` body; otherwise the body is form-encoded.
    public var jsonInputSupported: Bool
    /// The documented HTTP method (`GET` for reads). The client always POSTs, which every method accepts.
    public var httpMethod: String
    /// Arguments Slack requires other than `token`, in the catalogue's order.
    public var requiredArguments: [String]

    public init(
        name: String, botScopes: [String], tier: SlackRateTier, jsonInputSupported: Bool, httpMethod: String, requiredArguments: [String] = []
    ) {
        self.name = name
        self.botScopes = botScopes
        self.tier = tier
        self.jsonInputSupported = jsonInputSupported
        self.httpMethod = httpMethod
        self.requiredArguments = requiredArguments
    }

    /// A documented read (`GET`): repeating it changes nothing in the workspace.
    public var isRead: Bool { httpMethod == "GET" }
}

/// The methods the host knows, generated from `Methods/*.json` next to this file by
/// `scripts/generate-method-catalog.py` (see SlackMethodCatalog.swift). The runtime owns it; the
/// simulator reads it to answer `unknown_method`, `missing_scope` and `invalid_arguments` as Slack does.
public enum SlackMethodCatalog {
    /// Every catalogued method by name.
    public static var all: [String: SlackMethodInfo] { generated }

    /// The entry for a method, or `nil` when the catalogue does not know it.
    public static func method(_ name: String) -> SlackMethodInfo? { generated[name] }
}
