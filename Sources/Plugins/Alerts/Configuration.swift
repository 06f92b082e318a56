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
    public struct Configuration: Decodable, Sendable, Equatable {
        /// The shared secret senders present as `Authorization: Bearer` or as a Basic password.
        public var token: String
        /// With one, OnCall deliveries must also carry the hex HMAC-SHA256 of the body.
        public var hmacSecret: String?
        /// Labels that make a new alert an incident at once (all must match).
        public var escalateWhen: [String: String]
        /// `label=value` → channel that also gets the case's notification.
        public var routeChannels: [String: String]
        /// Users invited to every alert's case.
        public var responderUsers: [String]
        /// User groups (`S…`) whose members are invited.
        public var responderGroups: [String]
        /// Whether an alert's resolution closes its investigation / resolves its incident.
        public var resolveWithAlert: Bool

        public init(
            token: String, hmacSecret: String? = nil, escalateWhen: [String: String] = [:], routeChannels: [String: String] = [:],
            responderUsers: [String] = [], responderGroups: [String] = [], resolveWithAlert: Bool = false
        ) {
            self.token = token
            self.hmacSecret = hmacSecret
            self.escalateWhen = escalateWhen
            self.routeChannels = routeChannels
            self.responderUsers = responderUsers
            self.responderGroups = responderGroups
            self.resolveWithAlert = resolveWithAlert
        }

        enum CodingKeys: String, CodingKey {
            case token, hmacSecret = "hmac_secret", escalateWhen = "escalate_when", routeChannels = "route_channels"
            case responders, resolveWithAlert = "resolve_with_alert"
        }

        // Hand-written because synthesized Decodable ignores property defaults. Errors never echo a secret.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let token = try container.decode(String.self, forKey: .token).trimmingCharacters(in: .whitespaces)
            guard token.count >= 16 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .token, in: container, debugDescription: "must be at least 16 characters long (this one has \(token.count))")
            }
            self.token = token
            let secret = try container.decodeIfPresent(String.self, forKey: .hmacSecret)?.trimmingCharacters(in: .whitespaces) ?? ""
            hmacSecret = secret.isEmpty ? nil : secret
            escalateWhen = try container.decodeIfPresent([String: String].self, forKey: .escalateWhen) ?? [:]
            let routes = try container.decodeIfPresent([String: String].self, forKey: .routeChannels) ?? [:]
            for key in routes.keys where !key.contains("=") {
                throw DecodingError.dataCorruptedError(
                    forKey: .routeChannels, in: container, debugDescription: "key '\(key)' must be label=value, e.g. team=payments")
            }
            routeChannels = routes
            let responders = try container.decodeList(forKey: .responders) ?? []
            responderGroups = responders.filter { $0.hasPrefix("S") }
            responderUsers = responders.filter { !$0.hasPrefix("S") }
            resolveWithAlert = try container.decodeIfPresent(Bool.self, forKey: .resolveWithAlert) ?? false
        }

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
