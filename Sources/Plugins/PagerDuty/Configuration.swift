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
    public struct Configuration: PluginConfiguration, Equatable {
        /// Events API v2 integration key of the service that incidents page.
        @Required public var routingKey: String
        /// Events API base; events go to `<events_url>/v2/enqueue`.
        public var eventsURL = Configuration.defaultEventsURL
        /// REST API token for `/case oncall`, `/case page` and `invite_oncall`; nil without one.
        public var apiToken: String?
        public var apiURL = Configuration.defaultAPIURL
        /// Scope "who is on call" to these escalation policies / schedules (empty: every one).
        @CommaList public var escalationPolicyIDs: [String] = []
        @CommaList public var scheduleIDs: [String] = []
        /// Casebook severity → PagerDuty severity; a file's map is laid over the default one.
        public var severityMap = Configuration.defaultSeverityMap
        /// Invite the level-1 on-call people to the case channel on escalation.
        public var inviteOncall = false
        /// The `From` address for REST writes when the paging user's Slack e-mail is not a
        /// PagerDuty user (an account-level token needs one).
        public var fromEmail: String?

        public static let defaultEventsURL = "https://events.pagerduty.com"
        public static let defaultAPIURL = "https://api.pagerduty.com"
        public static let defaultSeverityMap = ["sev1": "critical", "sev2": "error", "sev3": "warning", "sev4": "info"]
        static let severities: Set<String> = ["critical", "error", "warning", "info"]
        public static let defaults = Configuration(routingKey: "")

        // Errors never echo a secret: they say what is wrong with it.
        public mutating func validate() throws {
            guard routingKey.count == 32, routingKey.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ConfigurationError(
                    "routingKey",
                    "must be the 32-character Events API v2 integration key of a PagerDuty service (letters and digits; this one has \(routingKey.count) characters)")
            }
            eventsURL = try ServiceURL.checked(eventsURL, key: "eventsURL")
            apiURL = try ServiceURL.checked(apiURL, key: "apiURL")
            for (severity, value) in severityMap.sorted(by: { $0.key < $1.key }) where !Self.severities.contains(value) {
                throw ConfigurationError(
                    "severityMap", "maps '\(severity)' to '\(value)'; PagerDuty's severities are critical, error, warning and info")
            }
            severityMap = Self.defaultSeverityMap.merging(severityMap) { $1 }
        }

        /// PagerDuty's severity for a Casebook severity; `critical` without one (no roles plugin).
        public func pagerDutySeverity(_ severity: String?) -> String {
            severity.flatMap { severityMap[$0] } ?? "critical"
        }
    }
}
