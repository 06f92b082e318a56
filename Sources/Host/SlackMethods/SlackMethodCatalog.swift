// GENERATED FILE — do not edit by hand.
// Source: Sources/Host/SlackMethods/Methods/*.json (Slack's method catalogue, slack-ruby/slack-api-ref),
// plus the fallbacks hard-coded in the script for methods missing there.
// Regenerate from the repository root with:  python3 scripts/generate-method-catalog.py

extension SlackMethodCatalog {
    /// Every catalogued method by name.
    static let generated: [String: SlackMethodInfo] = [
        "apps.connections.open": SlackMethodInfo(
            name: "apps.connections.open", botScopes: [],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: []),
        "auth.test": SlackMethodInfo(
            name: "auth.test", botScopes: [],
            tier: .special, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: []),
        "bookmarks.add": SlackMethodInfo(
            name: "bookmarks.add", botScopes: ["bookmarks:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["title", "type"]),
        "chat.delete": SlackMethodInfo(
            name: "chat.delete", botScopes: ["chat:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["ts", "channel"]),
        "chat.getPermalink": SlackMethodInfo(
            name: "chat.getPermalink", botScopes: [],
            tier: .special, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["channel", "message_ts"]),
        "chat.postEphemeral": SlackMethodInfo(
            name: "chat.postEphemeral", botScopes: ["chat:write"],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["user", "channel"]),
        "chat.postMessage": SlackMethodInfo(
            name: "chat.postMessage", botScopes: ["chat:write"],
            tier: .special, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel"]),
        "chat.update": SlackMethodInfo(
            name: "chat.update", botScopes: ["chat:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["ts", "channel"]),
        "conversations.archive": SlackMethodInfo(
            name: "conversations.archive", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel"]),
        "conversations.create": SlackMethodInfo(
            name: "conversations.create", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["name"]),
        "conversations.info": SlackMethodInfo(
            name: "conversations.info", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["channel"]),
        "conversations.invite": SlackMethodInfo(
            name: "conversations.invite", botScopes: ["channels:write.invites", "groups:write.invites", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel", "users"]),
        "conversations.join": SlackMethodInfo(
            name: "conversations.join", botScopes: ["channels:join"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel"]),
        "conversations.list": SlackMethodInfo(
            name: "conversations.list", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: []),
        "conversations.members": SlackMethodInfo(
            name: "conversations.members", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["channel"]),
        "conversations.open": SlackMethodInfo(
            name: "conversations.open", botScopes: ["channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: []),
        "conversations.rename": SlackMethodInfo(
            name: "conversations.rename", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel", "name"]),
        "conversations.setPurpose": SlackMethodInfo(
            name: "conversations.setPurpose", botScopes: ["channels:write.topic", "groups:write.topic", "mpim:write.topic", "im:write.topic", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel", "purpose"]),
        "conversations.setTopic": SlackMethodInfo(
            name: "conversations.setTopic", botScopes: ["channels:write.topic", "groups:write.topic", "mpim:write.topic", "im:write.topic", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel", "topic"]),
        "conversations.unarchive": SlackMethodInfo(
            name: "conversations.unarchive", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel"]),
        "files.completeUploadExternal": SlackMethodInfo(
            name: "files.completeUploadExternal", botScopes: ["files:write"],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["files"]),
        "files.getUploadURLExternal": SlackMethodInfo(
            name: "files.getUploadURLExternal", botScopes: ["files:write"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "POST",
            requiredArguments: ["length", "filename"]),
        "pins.add": SlackMethodInfo(
            name: "pins.add", botScopes: ["pins:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["channel"]),
        "reactions.add": SlackMethodInfo(
            name: "reactions.add", botScopes: ["reactions:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["name", "timestamp", "channel"]),
        "reactions.get": SlackMethodInfo(
            name: "reactions.get", botScopes: ["reactions:read"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: []),
        "usergroups.users.list": SlackMethodInfo(
            name: "usergroups.users.list", botScopes: ["usergroups:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["usergroup"]),
        "users.info": SlackMethodInfo(
            name: "users.info", botScopes: ["users:read"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["user"]),
        "users.list": SlackMethodInfo(
            name: "users.list", botScopes: ["users:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: []),
        "users.lookupByEmail": SlackMethodInfo(
            name: "users.lookupByEmail", botScopes: ["users:read.email"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET",
            requiredArguments: ["email"]),
        "views.open": SlackMethodInfo(
            name: "views.open", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["view"]),
        "views.publish": SlackMethodInfo(
            name: "views.publish", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["user_id", "view"]),
        "views.push": SlackMethodInfo(
            name: "views.push", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["view"]),
        "views.update": SlackMethodInfo(
            name: "views.update", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST",
            requiredArguments: ["view"]),
    ]
}
