import CasebookKit
import Postmortem

extension ConfluenceRCAPlugin {
    /// The `confluence` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// confluence:
    ///   enabled: auto                       # on when the five values below are set
    ///   config:
    ///     base_url: ${CONFLUENCE_API_URL:-}         # https://<site>.atlassian.net/wiki
    ///     username: ${CONFLUENCE_API_USERNAME:-}    # the account's e-mail
    ///     api_token: ${CONFLUENCE_API_TOKEN:-}
    ///     space: ${CONFLUENCE_SPACE:-}              # space key, e.g. ENG
    ///     parent_page: ${CONFLUENCE_PARENT_PAGE:-}  # title of the page RCAs go under
    ///     template: templates/confluence/rca.html   # optional; built-in otherwise
    ///     on_resolve: true
    /// ```
    public struct Configuration: PluginConfiguration, Equatable {
        /// The site's `/wiki` base, without a trailing slash.
        @Required public var baseURL: String
        /// The Atlassian account's e-mail (HTTP Basic user).
        @Required public var username: String
        /// An Atlassian API token (HTTP Basic password; never logged).
        @Required public var apiToken: String
        /// The space key (`ENG`).
        @Required public var space: String
        /// The title of the page RCA pages are created under.
        @Required public var parentPage: String
        /// The storage-format XHTML of the page (Mustache placeholders, values escaped for XHTML);
        /// nil for the built-in one (``resolvedTemplate()``).
        @ReadWith<TemplateFile> public var template: PostmortemTemplate? = nil
        /// Create the page when an incident is resolved.
        public var onResolve = true

        public static let builtInTemplateName = "built-in RCA template"

        /// The template pages are written with: the team's file, else the built-in one (parsed
        /// here, so a broken built-in is an error when the plugin starts, not a crash).
        public func resolvedTemplate() throws -> PostmortemTemplate {
            try template ?? PostmortemTemplate(RCATemplate.builtIn, name: Self.builtInTemplateName, escaping: .storageXHTML)
        }
        public static let defaults = Configuration(baseURL: "", username: "", apiToken: "", space: "", parentPage: "")

        /// `template:` names a storage-format XHTML file; its values are escaped for XHTML.
        public enum TemplateFile: PostmortemTemplateFile {
            public static let escaping = PostmortemTemplate.Escaping.storageXHTML
        }

        public init(
            baseURL: String, username: String, apiToken: String, space: String, parentPage: String, template: PostmortemTemplate? = nil,
            onResolve: Bool = true
        ) {
            self.baseURL = baseURL
            self.username = username
            self.apiToken = apiToken
            self.space = space
            self.parentPage = parentPage
            self.template = template
            self.onResolve = onResolve
        }

        // Errors never echo the token.
        public mutating func validate() throws {
            try Self.require(baseURL, "baseURL", "the site's /wiki base, e.g. https://example.atlassian.net/wiki")
            baseURL = try ServiceURL.checked(baseURL, key: "baseURL")
            if baseURL.contains(".atlassian.net"), !baseURL.hasSuffix("/wiki") {
                throw ConfigurationError("baseURL", "must be the site's /wiki base (e.g. https://example.atlassian.net/wiki), found '\(baseURL)'")
            }
            try Self.require(username, "username", "the Atlassian account's e-mail address")
            try Self.require(apiToken, "apiToken", "an Atlassian API token")
            guard !apiToken.contains(" ") else {
                throw ConfigurationError("apiToken", "must be an Atlassian API token (one word; this one has \(apiToken.count) characters)")
            }
            try Self.require(space, "space", "the space key, e.g. ENG")
            guard space.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "~" || $0 == "_") }) else {
                throw ConfigurationError("space", "must be a space key (letters and digits, e.g. ENG), not a name; found '\(space)'")
            }
            try Self.require(parentPage, "parentPage", "the title of the page RCAs go under")
        }

        private static func require(_ value: String, _ key: String, _ what: String) throws {
            guard !value.isEmpty else { throw ConfigurationError(key, "is empty; set it to \(what)") }
        }
    }
}
