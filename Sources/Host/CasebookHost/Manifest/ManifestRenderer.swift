import CasebookKit

/// Renders the Slack app manifest (schema v1) from a ``ManifestInput``, for `casebook manifest`.
///
/// Least privilege: the bot scopes are exactly the declared ones plus `commands` (which the slash
/// command and shortcuts need); nothing is added "just in case", not even `chat:write`. Lists are
/// sorted so the output is stable between runs and diffs stay small.
public enum ManifestRenderer {
    /// Slack's limit on `usage_hint`.
    static let usageHintLimit = 1000

    public static func render(_ input: ManifestInput, mode: ManifestMode) throws(ManifestError) -> JSONValue {
        var problems = validate(input)
        var requestURL: String?
        if case .http(let base) = mode {
            var trimmed = base
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            let url = trimmed + "/slack/events"
            let parsed = URL(string: trimmed)
            if !["http", "https"].contains(parsed?.scheme ?? "") || parsed?.host?.isEmpty ?? true {
                problems.append("public base URL '\(base)' must be an absolute https:// (or http://) URL")
            } else if url.count > 3000 {
                problems.append("public base URL is longer than Slack's 3000 characters")
            }
            requestURL = url
        }
        guard problems.isEmpty else { throw ManifestError(problems: problems) }

        var command: [String: JSONValue] = [
            "command": .string(input.slashCommand),
            "description": .string(input.commandDescription),
            "should_escape": .bool(input.escapesMentions),
        ]
        let hint = usageHint(for: input.subcommands)
        if !hint.isEmpty { command["usage_hint"] = .string(hint) }
        if let requestURL { command["url"] = .string(requestURL) }

        var features: [String: JSONValue] = [
            "bot_user": ["display_name": .string(input.botDisplayName), "always_online": true],
            "slash_commands": [.object(command)],
        ]
        let shortcuts = input.shortcuts.sorted { $0.callbackID < $1.callbackID }
        if !shortcuts.isEmpty {
            features["shortcuts"] = .array(shortcuts.map { shortcut in
                [
                    "name": .string(shortcut.name), "type": .string(shortcut.kind.rawValue),
                    "callback_id": .string(shortcut.callbackID), "description": .string(shortcut.description),
                ]
            })
        }

        // Only the Home tab is switched on; the Messages tab keeps Slack's default.
        if input.homeTab { features["app_home"] = ["home_tab_enabled": true] }

        var interactivity: [String: JSONValue] = ["is_enabled": true]
        if let requestURL { interactivity["request_url"] = .string(requestURL) }
        var settings: [String: JSONValue] = [
            "interactivity": .object(interactivity),
            "socket_mode_enabled": .bool(mode == .socketMode),
            "org_deploy_enabled": false,
            "token_rotation_enabled": false,
        ]
        if !input.events.isEmpty {
            var subscriptions: [String: JSONValue] = ["bot_events": .array(input.events.sorted().map(JSONValue.string))]
            if let requestURL { subscriptions["request_url"] = .string(requestURL) }
            settings["event_subscriptions"] = .object(subscriptions)
        }

        var display: [String: JSONValue] = ["name": .string(input.appName)]
        if let description = input.appDescription { display["description"] = .string(description) }

        return [
            "_metadata": ["major_version": 1, "minor_version": 1],
            "display_information": .object(display),
            "features": .object(features),
            "oauth_config": ["scopes": ["bot": .array(botScopes(input).map(JSONValue.string))]],
            "settings": .object(settings),
        ]
    }

    /// The manifest as YAML, in the order Slack's editor shows it; paste it into "Create an app".
    public static func yaml(_ input: ManifestInput, mode: ManifestMode) throws(ManifestError) -> String {
        YAMLText.render(try render(input, mode: mode), keyOrder: keyOrder)
    }

    /// Declared scopes plus `commands`, sorted.
    public static func botScopes(_ input: ManifestInput) -> [String] {
        input.scopes.union(["commands"]).sorted()
    }

    /// `open <description> | incident | resolve | help`, cut at a subcommand boundary with `| …` to
    /// stay within Slack's 1000 characters.
    public static func usageHint(for subcommands: [ManifestInput.Subcommand]) -> String {
        var parts = subcommands.map { $0.usage.isEmpty ? $0.name : "\($0.name) \($0.usage)" }
        if !subcommands.isEmpty, !subcommands.contains(where: { $0.name == "help" }) {
            parts.append("help")
        }
        var hint = parts.joined(separator: " | ")
        while hint.count > usageHintLimit, !parts.isEmpty {
            parts.removeLast()
            hint = (parts + ["…"]).joined(separator: " | ")
        }
        return hint.count > usageHintLimit ? String(hint.prefix(usageHintLimit - 1)) + "…" : hint
    }

    /// Slack's limits from the manifest schema, checked up front so `casebook manifest` fails with
    /// a message naming the plugin's string rather than Slack rejecting the paste.
    static func validate(_ input: ManifestInput) -> [String] {
        var problems: [String] = []
        func length(_ value: String, _ range: ClosedRange<Int>, _ field: String) {
            if !range.contains(value.count) {
                problems.append("\(field) '\(value)' has \(value.count) characters; Slack allows \(range.lowerBound)–\(range.upperBound)")
            }
        }
        length(input.appName, 1...35, "app name")
        if let description = input.appDescription { length(description, 1...140, "app description") }
        length(input.botDisplayName, 1...80, "bot display name")
        length(input.slashCommand, 2...32, "slash command")
        if !input.slashCommand.hasPrefix("/") {
            problems.append("slash command '\(input.slashCommand)' must start with '/'")
        }
        length(input.commandDescription, 1...2000, "slash command description")
        if input.shortcuts.count > 10 {
            problems.append("\(input.shortcuts.count) shortcuts declared; Slack allows at most 10")
        }
        var callbackIDs = Set<String>()
        for shortcut in input.shortcuts {
            length(shortcut.name, 1...24, "shortcut name")
            length(shortcut.description, 1...150, "shortcut '\(shortcut.name)' description")
            length(shortcut.callbackID, 1...255, "shortcut callback_id")
            if !callbackIDs.insert(shortcut.callbackID).inserted {
                problems.append("shortcut callback_id '\(shortcut.callbackID)' is declared twice")
            }
        }
        let scopes = botScopes(input)
        if scopes.count > 255 { problems.append("\(scopes.count) bot scopes; Slack allows at most 255") }
        for scope in scopes { length(scope, 1...50, "scope") }
        if input.events.count > 100 { problems.append("\(input.events.count) events; Slack allows at most 100") }
        for event in input.events.sorted() { length(event, 1...50, "event") }
        return problems
    }

    /// Keys first in this order at every level; the rest follow alphabetically.
    static let keyOrder = [
        "_metadata", "major_version", "minor_version",
        "display_information", "features", "oauth_config", "settings",
        "name", "display_name", "command", "url", "type", "callback_id", "description", "usage_hint",
        "app_home", "home_tab_enabled", "should_escape", "always_online", "bot_user", "shortcuts", "slash_commands", "scopes", "bot",
        "event_subscriptions", "request_url", "bot_events", "interactivity", "is_enabled",
        "org_deploy_enabled", "socket_mode_enabled", "token_rotation_enabled",
    ]

    /// Pretty JSON with sorted keys, for `casebook manifest --json`.
    public static func json(_ manifest: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(manifest) else { return manifest.encoded() }
        return String(decoding: data, as: UTF8.self)
    }
}
