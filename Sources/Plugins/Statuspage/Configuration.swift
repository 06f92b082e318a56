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
    public struct Configuration: Decodable, Sendable, Equatable {
        /// A Statuspage API key (sent as `Authorization: OAuth <key>`; never logged).
        public var apiKey: String
        public var pageID: String
        /// The management API base, without a trailing slash.
        public var apiURL: String
        /// The public status page, linked when an incident has no `shortlink`.
        public var publicURL: String?
        /// Who may approve a draft: role ids (`commander`, `comms`) or Slack user ids.
        public var approvers: [String]
        /// Whether publishing notifies the page's subscribers (a draft can say otherwise).
        public var deliverNotifications: Bool
        /// Post a prefilled draft (never a publication) when the incident's phase changes.
        public var proposeOnPhaseChange: Bool

        public static let defaultAPIURL = "https://api.statuspage.io/v1"
        public static let defaultApprovers = ["commander"]

        public init(
            apiKey: String, pageID: String, apiURL: String = Configuration.defaultAPIURL, publicURL: String? = nil,
            approvers: [String] = Configuration.defaultApprovers, deliverNotifications: Bool = true, proposeOnPhaseChange: Bool = true
        ) {
            self.apiKey = apiKey
            self.pageID = pageID
            self.apiURL = apiURL
            self.publicURL = publicURL
            self.approvers = approvers
            self.deliverNotifications = deliverNotifications
            self.proposeOnPhaseChange = proposeOnPhaseChange
        }

        enum CodingKeys: String, CodingKey {
            case apiKey = "api_key", pageID = "page_id", apiURL = "api_url", publicURL = "public_url", approvers
            case deliverNotifications = "deliver_notifications", proposeOnPhaseChange = "propose_on_phase_change"
        }

        // Hand-written because synthesized Decodable ignores property defaults. Errors never echo
        // the key: they say what is wrong with it.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let key = try container.decode(String.self, forKey: .apiKey).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .apiKey, in: container, debugDescription: "must be a Statuspage API key (one word; this one has \(key.count) characters)")
            }
            apiKey = key
            let page = try container.decode(String.self, forKey: .pageID).trimmingCharacters(in: .whitespaces)
            // It goes into every URL path: letters, digits, `-` and `_` only.
            guard !page.isEmpty, page.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .pageID, in: container, debugDescription: "must be the page's id (e.g. gytm4qzbx9t6), found '\(page)'")
            }
            pageID = page
            apiURL = try container.decodeServiceURL(forKey: .apiURL, default: Self.defaultAPIURL) ?? Self.defaultAPIURL
            publicURL = try container.decodeServiceURL(forKey: .publicURL, default: nil)
            approvers = try container.decodeList(forKey: .approvers) ?? Self.defaultApprovers
            guard !approvers.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .approvers, in: container, debugDescription: "is empty: nobody could approve a status page update (the default is [commander])")
            }
            deliverNotifications = try container.decodeIfPresent(Bool.self, forKey: .deliverNotifications) ?? true
            proposeOnPhaseChange = try container.decodeIfPresent(Bool.self, forKey: .proposeOnPhaseChange) ?? true
        }
    }
}
