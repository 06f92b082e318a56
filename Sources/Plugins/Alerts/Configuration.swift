import CasebookKit

extension AlertsPlugin {
    /// The `alerts` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// alerts:
    ///   enabled: auto                                # on when token is set
    ///   config:
    ///     token: ${ALERTS_WEBHOOK_TOKEN}             # Bearer token or Basic password
    ///     hmac_secret: ${ALERTS_HMAC_SECRET:-}       # also require X-Grafana-OnCall-Signature
    ///     escalate_when: { severity: critical }      # every label must match
    ///     route_channels: { "team=payments": C0PAYMENTS }
    ///     responders: [U0ALICE, S0ONCALL]
    ///     resolve_with_alert: false
    /// ```
    public struct Configuration: PluginConfiguration, Equatable {
        /// The shared secret senders present as `Authorization: Bearer` or as a Basic password.
        @Required public var token: String
        /// With one, OnCall deliveries must also carry the hex HMAC-SHA256 of the body.
        public var hmacSecret: String?
        /// Labels that make a new alert an incident at once (all must match).
        public var escalateWhen: [String: String] = [:]
        /// `label=value` → channel that also gets the case's notification.
        public var routeChannels: [String: String] = [:]
        /// Users (`U…`) and user groups (`S…`) invited to every alert's case.
        @CommaList public var responders: [String] = []
        /// Whether an alert's resolution closes its investigation / resolves its incident.
        public var resolveWithAlert = false

        public static let defaults = Configuration(token: "")

        // Errors never echo a secret.
        public func validate() throws {
            guard token.count >= 16 else {
                throw ConfigurationError("token", "must be at least 16 characters long (this one has \(token.count))")
            }
            for key in routeChannels.keys.sorted() where !key.contains("=") {
                throw ConfigurationError("routeChannels", "key '\(key)' must be label=value, e.g. team=payments")
            }
        }

        /// Users invited to every alert's case.
        public var responderUsers: [String] { responders.filter { !$0.hasPrefix("S") } }
        /// User groups whose members are invited.
        public var responderGroups: [String] { responders.filter { $0.hasPrefix("S") } }

        /// Whether these labels call for an incident straight away.
        public func escalates(_ labels: [String: String]) -> Bool {
            !escalateWhen.isEmpty && escalateWhen.allSatisfy { labels[$0.key] == $0.value }
        }

        /// The channels whose `label=value` the labels carry, sorted.
        public func routedChannels(_ labels: [String: String]) -> [String] {
            Set(routeChannels.compactMap { key, channel -> String? in
                let parts = key.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, labels[parts[0]] == parts[1] else { return nil }
                return channel
            }).sorted()
        }
    }
}
