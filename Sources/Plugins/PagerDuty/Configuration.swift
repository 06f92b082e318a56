import CasebookKit

extension PagerDutyPlugin {
    /// The `pagerduty` section of `plugins.yaml`, keyed like the Case app's and incident-bot's
    /// environment:
    ///
    /// ```yaml
    /// pagerduty:
    ///   enabled: auto                       # on when routing_key is set
    ///   config:
    ///     routing_key: ${PAGERDUTY_ROUTING_KEY:-}
    ///     api_token: ${PAGERDUTY_API_TOKEN:-}
    /// ```
    public struct Configuration: Decodable, Sendable, Equatable {
        /// Events API v2 integration key of the service that incidents page.
        public var routingKey: String
        /// Events API base; events go to `<events_url>/v2/enqueue`.
        public var eventsURL: String
        /// REST API token for `/case oncall`, `/case page` and `invite_oncall`; nil without one.
        public var apiToken: String?
        public var apiURL: String
        /// Scope "who is on call" to these escalation policies / schedules (empty: every one).
        public var escalationPolicyIDs: [String]
        public var scheduleIDs: [String]
        /// Casebook severity → PagerDuty severity.
        public var severityMap: [String: String]
        /// Invite the level-1 on-call people to the case channel on escalation.
        public var inviteOncall: Bool
        /// The `From` address for REST writes when the paging user's Slack e-mail is not a
        /// PagerDuty user (an account-level token needs one).
        public var fromEmail: String?

        public static let defaultEventsURL = "https://events.pagerduty.com"
        public static let defaultAPIURL = "https://api.pagerduty.com"
        public static let defaultSeverityMap = ["sev1": "critical", "sev2": "error", "sev3": "warning", "sev4": "info"]
        static let severities: Set<String> = ["critical", "error", "warning", "info"]

        public init(
            routingKey: String, eventsURL: String = Configuration.defaultEventsURL, apiToken: String? = nil,
            apiURL: String = Configuration.defaultAPIURL, escalationPolicyIDs: [String] = [], scheduleIDs: [String] = [],
            severityMap: [String: String] = Configuration.defaultSeverityMap, inviteOncall: Bool = false, fromEmail: String? = nil
        ) {
            self.routingKey = routingKey
            self.eventsURL = eventsURL
            self.apiToken = apiToken
            self.apiURL = apiURL
            self.escalationPolicyIDs = escalationPolicyIDs
            self.scheduleIDs = scheduleIDs
            self.severityMap = severityMap
            self.inviteOncall = inviteOncall
            self.fromEmail = fromEmail
        }

        enum CodingKeys: String, CodingKey {
            case routingKey, eventsURL = "events_url", apiToken, apiURL = "api_url", escalationPolicyIDs = "escalation_policy_ids"
            case scheduleIDs = "schedule_ids", severityMap, inviteOncall, fromEmail
        }

        // Hand-written because synthesized Decodable ignores property defaults. Errors never echo a
        // secret: they say what is wrong with it.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let key = try container.decode(String.self, forKey: .routingKey).trimmingCharacters(in: .whitespaces)
            guard key.count == 32, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .routingKey, in: container,
                    debugDescription: "must be the 32-character Events API v2 integration key of a PagerDuty service (letters and digits; this one has \(key.count) characters)")
            }
            routingKey = key
            eventsURL = try container.decodeServiceURL(forKey: .eventsURL, default: Self.defaultEventsURL) ?? Self.defaultEventsURL
            let token = try container.decodeIfPresent(String.self, forKey: .apiToken)?.trimmingCharacters(in: .whitespaces)
            apiToken = (token?.isEmpty ?? true) ? nil : token
            apiURL = try container.decodeServiceURL(forKey: .apiURL, default: Self.defaultAPIURL) ?? Self.defaultAPIURL
            escalationPolicyIDs = try container.decodeList(forKey: .escalationPolicyIDs) ?? []
            scheduleIDs = try container.decodeList(forKey: .scheduleIDs) ?? []
            var map = Self.defaultSeverityMap
            for (severity, value) in try container.decodeIfPresent([String: String].self, forKey: .severityMap) ?? [:] {
                guard Self.severities.contains(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .severityMap, in: container,
                        debugDescription: "maps '\(severity)' to '\(value)'; PagerDuty's severities are critical, error, warning and info")
                }
                map[severity] = value
            }
            severityMap = map
            inviteOncall = try container.decodeIfPresent(Bool.self, forKey: .inviteOncall) ?? false
            let from = try container.decodeIfPresent(String.self, forKey: .fromEmail)?.trimmingCharacters(in: .whitespaces)
            fromEmail = (from?.isEmpty ?? true) ? nil : from
        }

        /// PagerDuty's severity for a Casebook severity; `critical` without one (no roles plugin).
        public func pagerDutySeverity(_ severity: String?) -> String {
            severity.flatMap { severityMap[$0] } ?? "critical"
        }
    }
}
