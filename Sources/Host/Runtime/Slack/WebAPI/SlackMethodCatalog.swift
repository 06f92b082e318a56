// GENERATED FILE — do not edit by hand.
// Source: Sources/Host/Simulator/Methods/*.json (Slack's method catalogue, slack-ruby/slack-api-ref),
// plus the fallbacks hard-coded in the script for methods missing there.
// Regenerate from the repository root with:  python3 scripts/generate-method-catalog.py

extension SlackMethodCatalog {
    /// Every catalogued method by name.
    static let generated: [String: SlackMethodInfo] = [
        "apps.connections.open": SlackMethodInfo(
            name: "apps.connections.open", botScopes: [],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "auth.test": SlackMethodInfo(
            name: "auth.test", botScopes: [],
            tier: .special, jsonInputSupported: true, httpMethod: "POST"),
        "bookmarks.add": SlackMethodInfo(
            name: "bookmarks.add", botScopes: ["bookmarks:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "chat.delete": SlackMethodInfo(
            name: "chat.delete", botScopes: ["chat:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "chat.getPermalink": SlackMethodInfo(
            name: "chat.getPermalink", botScopes: [],
            tier: .special, jsonInputSupported: false, httpMethod: "GET"),
        "chat.postEphemeral": SlackMethodInfo(
            name: "chat.postEphemeral", botScopes: ["chat:write"],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
        "chat.postMessage": SlackMethodInfo(
            name: "chat.postMessage", botScopes: ["chat:write"],
            tier: .special, jsonInputSupported: true, httpMethod: "POST"),
        "chat.update": SlackMethodInfo(
            name: "chat.update", botScopes: ["chat:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.archive": SlackMethodInfo(
            name: "conversations.archive", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.create": SlackMethodInfo(
            name: "conversations.create", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.info": SlackMethodInfo(
            name: "conversations.info", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET"),
        "conversations.invite": SlackMethodInfo(
            name: "conversations.invite", botScopes: ["channels:write.invites", "groups:write.invites", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.join": SlackMethodInfo(
            name: "conversations.join", botScopes: ["channels:join"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.list": SlackMethodInfo(
            name: "conversations.list", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET"),
        "conversations.members": SlackMethodInfo(
            name: "conversations.members", botScopes: ["groups:read", "im:read", "mpim:read", "channels:read"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "GET"),
        "conversations.open": SlackMethodInfo(
            name: "conversations.open", botScopes: ["channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.rename": SlackMethodInfo(
            name: "conversations.rename", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.setPurpose": SlackMethodInfo(
            name: "conversations.setPurpose", botScopes: ["channels:write.topic", "groups:write.topic", "mpim:write.topic", "im:write.topic", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.setTopic": SlackMethodInfo(
            name: "conversations.setTopic", botScopes: ["channels:write.topic", "groups:write.topic", "mpim:write.topic", "im:write.topic", "channels:manage", "groups:write", "im:write", "mpim:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "conversations.unarchive": SlackMethodInfo(
            name: "conversations.unarchive", botScopes: ["groups:write", "im:write", "mpim:write", "channels:write", "channels:manage"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "files.completeUploadExternal": SlackMethodInfo(
            name: "files.completeUploadExternal", botScopes: ["files:write"],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
        "files.getUploadURLExternal": SlackMethodInfo(
            name: "files.getUploadURLExternal", botScopes: ["files:write"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "POST"),
        "pins.add": SlackMethodInfo(
            name: "pins.add", botScopes: ["pins:write"],
            tier: .tier2, jsonInputSupported: true, httpMethod: "POST"),
        "reactions.add": SlackMethodInfo(
            name: "reactions.add", botScopes: ["reactions:write"],
            tier: .tier3, jsonInputSupported: true, httpMethod: "POST"),
        "reactions.get": SlackMethodInfo(
            name: "reactions.get", botScopes: ["reactions:read"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET"),
        "usergroups.users.list": SlackMethodInfo(
            name: "usergroups.users.list", botScopes: ["usergroups:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET"),
        "users.info": SlackMethodInfo(
            name: "users.info", botScopes: ["users:read"],
            tier: .tier4, jsonInputSupported: false, httpMethod: "GET"),
        "users.lookupByEmail": SlackMethodInfo(
            name: "users.lookupByEmail", botScopes: ["users:read.email"],
            tier: .tier3, jsonInputSupported: false, httpMethod: "GET"),
        "users.list": SlackMethodInfo(
            name: "users.list", botScopes: ["users:read"],
            tier: .tier2, jsonInputSupported: false, httpMethod: "GET"),
        "views.open": SlackMethodInfo(
            name: "views.open", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
        "views.publish": SlackMethodInfo(
            name: "views.publish", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
        "views.push": SlackMethodInfo(
            name: "views.push", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
        "views.update": SlackMethodInfo(
            name: "views.update", botScopes: [],
            tier: .tier4, jsonInputSupported: true, httpMethod: "POST"),
    ]
}
