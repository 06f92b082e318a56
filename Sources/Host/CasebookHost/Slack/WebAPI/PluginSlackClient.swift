import CasebookKit

/// The Web API as one plugin sees it: the host's ``WebAPIClient`` bound to the bot token, and
/// limited to the scopes the plugin declared in its ``Requirements``. A call whose method needs a
/// scope the plugin did not declare is refused before it is sent (least privilege, declared);
/// in tests that refusal fails the test loudly instead of passing by luck of the test token.
public struct PluginSlackClient: SlackAPI, SlackFileUploading, ResponseURLPosting {
    public let pluginID: String
    public let declaredScopes: Set<String>
    private let client: WebAPIClient
    private let token: SlackToken
    private let logger: Logger

    public init(client: WebAPIClient, token: SlackToken, pluginID: String, declaredScopes: Set<String>, logger: Logger) {
        self.client = client
        self.token = token
        self.pluginID = pluginID
        self.declaredScopes = declaredScopes
        var logger = logger
        logger[metadataKey: "plugin"] = "\(pluginID)"
        self.logger = logger
    }

    /// Binds the client for plugin type `P`, with its id and declared scopes.
    public init<P: Plugin>(client: WebAPIClient, token: SlackToken, plugin: P.Type, logger: Logger) {
        self.init(client: client, token: token, pluginID: P.id, declaredScopes: P.requirements.scopes, logger: logger)
    }

    public func call(_ method: String, _ arguments: [String: JSONValue]) async throws -> JSONValue {
        if let refusal = Self.refusal(for: method, declaredScopes: declaredScopes) ?? Self.privateChannelRefusal(method, arguments, declaredScopes) {
            logger.error(
                "Refused a Slack call the plugin has not declared the scopes for",
                metadata: [
                    "slack.method": "\(method)", "slack.error": "\(refusal.code)",
                    "slack.scopes_that_would_do": "\(refusal.needed ?? "none known: add the method to the catalogue")",
                ])
            client.countRefusal(method)
            throw refusal
        }
        return try await client.call(method, arguments, token: token)
    }

    public func upload(url: String, file: URL, length: Int) async throws {
        try await client.upload(url: url, file: file, length: length)
    }

    public func upload(url: String, data: Data) async throws {
        try await client.upload(url: url, data: data)
    }

    /// Needs no scope: Slack grants a `response_url` with the invocation.
    public func post(_ url: String, body: JSONValue) async throws {
        try await client.post(url, body: body)
    }

    /// The catalogue's scopes are any-of across channel types; creating a private channel is the one
    /// call whose type the host sees in the arguments, and it needs `groups:write` (a plugin with only
    /// `channels:manage` would pass the any-of check and then fail at Slack).
    public static func privateChannelRefusal(_ method: String, _ arguments: [String: JSONValue], _ declaredScopes: Set<String>) -> SlackAPIError? {
        guard method == "conversations.create", arguments["is_private"] == .bool(true), !declaredScopes.contains("groups:write") else { return nil }
        return SlackAPIError(method: method, code: "scope_not_declared", needed: "groups:write")
    }

    /// Why a plugin with `declaredScopes` may not call `method`, or `nil` when it may:
    /// - `scope_not_declared` (with `needed` = the scopes that would do, comma-separated) when the
    ///   method needs a scope and none of its scopes is declared;
    /// - `method_not_catalogued` when the method is unknown, so its scopes cannot be checked
    ///   (add it to `Sources/Host/SlackMethods/Methods/` or the generator's fallbacks).
    public static func refusal(for method: String, declaredScopes: Set<String>) -> SlackAPIError? {
        guard let info = SlackMethodCatalog.method(method) else {
            return SlackAPIError(method: method, code: "method_not_catalogued")
        }
        guard !info.botScopes.isEmpty, declaredScopes.isDisjoint(with: info.botScopes) else { return nil }
        return SlackAPIError(method: method, code: "scope_not_declared", needed: info.botScopes.joined(separator: ","))
    }
}
