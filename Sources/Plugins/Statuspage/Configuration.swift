import CasebookKit

extension StatuspagePlugin {
    /// The `statuspage` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// statuspage:
    ///   enabled: auto                       # on when api_key and page_id are set
    ///   config:
    ///     api_key: ${STATUSPAGE_API_KEY:-}
    ///     page_id: ${STATUSPAGE_PAGE_ID:-}
    ///     public_url: ${STATUSPAGE_URL:-}
    ///     approvers: [commander]
    /// ```
    public struct Configuration: PluginConfiguration, Equatable {
        /// A Statuspage API key (sent as `Authorization: OAuth <key>`; never logged).
        @Required public var apiKey: String
        @Required public var pageID: String
        /// The management API base, without a trailing slash.
        public var apiURL = Configuration.defaultAPIURL
        /// The public status page, linked when an incident has no `shortlink`.
        public var publicURL: String?
        /// Who may approve a draft: role ids (`commander`, `comms`) or Slack user ids.
        @CommaList public var approvers = Configuration.defaultApprovers
        /// Whether publishing notifies the page's subscribers (a draft can say otherwise).
        public var deliverNotifications = true
        /// Post a prefilled draft (never a publication) when the incident's phase changes.
        public var proposeOnPhaseChange = true

        public static let defaultAPIURL = "https://api.statuspage.io/v1"
        public static let defaultApprovers = ["commander"]
        public static let defaults = Configuration(apiKey: "", pageID: "")

        // Errors never echo the key: they say what is wrong with it.
        public mutating func validate() throws {
            guard !apiKey.isEmpty, !apiKey.contains(" ") else {
                throw ConfigurationError("apiKey", "must be a Statuspage API key (one word; this one has \(apiKey.count) characters)")
            }
            // It goes into every URL path: letters, digits, `-` and `_` only.
            guard !pageID.isEmpty, pageID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ConfigurationError("pageID", "must be the page's id (e.g. gytm4qzbx9t6), found '\(pageID)'")
            }
            apiURL = try ServiceURL.checked(apiURL, key: "apiURL")
            publicURL = try publicURL.map { try ServiceURL.checked($0, key: "publicURL") }
            guard !approvers.isEmpty else {
                throw ConfigurationError("approvers", "is empty: nobody could approve a status page update (the default is [commander])")
            }
        }
    }
}
