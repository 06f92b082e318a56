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
    public struct Configuration: Decodable, Sendable, Equatable {
        /// The site's `/wiki` base, without a trailing slash.
        public var baseURL: String
        /// The Atlassian account's e-mail (HTTP Basic user).
        public var username: String
        /// An Atlassian API token (HTTP Basic password; never logged).
        public var apiToken: String
        /// The space key (`ENG`).
        public var space: String
        /// The title of the page RCA pages are created under.
        public var parentPage: String
        public var template: PostmortemTemplate
        /// Create the page when an incident is resolved.
        public var onResolve: Bool

        public static let builtInTemplateName = "built-in RCA template"

        public init(
            baseURL: String, username: String, apiToken: String, space: String, parentPage: String, template: PostmortemTemplate? = nil,
            onResolve: Bool = true
        ) throws {
            self.baseURL = baseURL
            self.username = username
            self.apiToken = apiToken
            self.space = space
            self.parentPage = parentPage
            self.template = try template ?? PostmortemTemplate(RCATemplate.builtIn, name: Self.builtInTemplateName, escaping: .storageXHTML)
            self.onResolve = onResolve
        }

        enum CodingKeys: String, CodingKey {
            case baseURL = "base_url", username, apiToken = "api_token", space, parentPage = "parent_page", template, onResolve = "on_resolve"
        }

        // Hand-written because synthesized Decodable ignores property defaults. Errors never echo the token.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard let url = try container.decodeServiceURL(forKey: .baseURL, default: nil) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .baseURL, in: container, debugDescription: "is empty; set it to the site's /wiki base, e.g. https://example.atlassian.net/wiki")
            }
            if url.contains(".atlassian.net"), !url.hasSuffix("/wiki") {
                throw DecodingError.dataCorruptedError(
                    forKey: .baseURL, in: container, debugDescription: "must be the site's /wiki base (e.g. https://example.atlassian.net/wiki), found '\(url)'")
            }
            baseURL = url
            username = try Self.required(container, .username, "the Atlassian account's e-mail address")
            let token = try Self.required(container, .apiToken, "an Atlassian API token")
            guard !token.contains(" ") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .apiToken, in: container, debugDescription: "must be an Atlassian API token (one word; this one has \(token.count) characters)")
            }
            apiToken = token
            let key = try Self.required(container, .space, "the space key, e.g. ENG")
            guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "~" || $0 == "_") }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .space, in: container, debugDescription: "must be a space key (letters and digits, e.g. ENG), not a name; found '\(key)'")
            }
            space = key
            parentPage = try Self.required(container, .parentPage, "the title of the page RCAs go under")
            template = try container.decodePostmortemTemplate(
                forKey: .template, builtIn: RCATemplate.builtIn, builtInName: Self.builtInTemplateName, escaping: .storageXHTML)
            onResolve = try container.decodeIfPresent(Bool.self, forKey: .onResolve) ?? true
        }

        static func required(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ what: String) throws -> String {
            let value = try container.decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "is empty; set it to \(what)") }
            return value
        }
    }
}
