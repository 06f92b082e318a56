import CasebookKit

/// What the Slack app manifest is rendered from. The host fills it from the enabled plugins'
/// registrations and requirements, so the manifest asks for exactly what the plugins declared.
public struct ManifestInput: Sendable, Equatable {
    /// A subcommand of the slash command, for the usage hint (`open <description>`).
    public struct Subcommand: Sendable, Equatable {
        public var name: String
        public var usage: String
        public var help: String

        public init(name: String, usage: String = "", help: String = "") {
            self.name = name
            self.usage = usage
            self.help = help
        }
    }

    /// A message (⋯ menu) or global (⚡ menu) shortcut.
    public struct Shortcut: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case message
            case global
        }

        public var callbackID: String
        public var kind: Kind
        /// Shown in Slack's menus; at most 24 characters.
        public var name: String
        /// At most 150 characters.
        public var description: String

        public init(callbackID: String, kind: Kind, name: String, description: String) {
            self.callbackID = callbackID
            self.kind = kind
            self.name = name
            self.description = description
        }
    }

    /// `display_information.name`, 1–35 characters.
    public var appName: String
    /// `display_information.description`, at most 140 characters.
    public var appDescription: String?
    public var botDisplayName: String
    /// `/case`.
    public var slashCommand: String
    /// The slash command's description in Slack's autocomplete.
    public var commandDescription: String
    /// In registration order; the usage hint lists them in this order.
    public var subcommands: [Subcommand]
    public var shortcuts: [Shortcut]
    /// Bot scopes the plugins declared; `commands` is added because the slash command needs it.
    public var scopes: Set<String>
    /// Events API event types the plugins subscribe to.
    public var events: Set<String>
    /// `should_escape` on the slash command: when true, Slack sends `@alice` as `<@U123|alice>`, so
    /// commands that take people get user ids instead of display names.
    public var escapesMentions: Bool
    /// `features.app_home.home_tab_enabled`: a plugin publishes the Home tab. Left out when false.
    public var homeTab: Bool

    public init(
        appName: String, appDescription: String? = nil, botDisplayName: String, slashCommand: String,
        commandDescription: String = "Open and run cases; try help", subcommands: [Subcommand] = [],
        shortcuts: [Shortcut] = [], scopes: Set<String> = [], events: Set<String> = [], escapesMentions: Bool = true,
        homeTab: Bool = false
    ) {
        self.homeTab = homeTab
        self.appName = appName
        self.appDescription = appDescription
        self.botDisplayName = botDisplayName
        self.slashCommand = slashCommand
        self.commandDescription = commandDescription
        self.subcommands = subcommands
        self.shortcuts = shortcuts
        self.scopes = scopes
        self.events = events
        self.escapesMentions = escapesMentions
    }
}

/// How Slack reaches the app.
public enum ManifestMode: Sendable, Equatable {
    /// Socket Mode: no request URLs; the app connects out with its app-level token.
    case socketMode
    /// Request URLs under a public base URL (`https://casebook.example.com`); commands,
    /// interactivity and events all go to `<base>/slack/events`.
    case http(baseURL: String)
}

/// Why a manifest could not be rendered: each message names the field and Slack's limit.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        problems.joined(separator: "\n")
    }
}
