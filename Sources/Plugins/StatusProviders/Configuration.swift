import CasebookKit

extension StatusProvidersPlugin {
    /// The `status_providers` section of `plugins.yaml`:
    ///
    /// ```yaml
    /// status_providers:
    ///   enabled: auto                 # on when providers is non-empty
    ///   config:
    ///     providers: ${INCIDENT_EXTERNAL_PROVIDERS_LIST:-}   # or [github, {name: acme, url: https://status.acme.com}]
    ///     watch_channel: C0VENDORS
    ///     poll_every: 5m
    ///     timeout: 5s
    ///     snapshot_on_escalation: true
    /// ```
    public struct Configuration: Decodable, Sendable, Equatable {
        public var providers: [Provider]
        /// Where the watch tells every change (optional; escalated case channels hear them anyway).
        public var watchChannel: String?
        public var pollEvery: ConfigDuration
        /// How long one provider may take to answer before it reads "status unknown".
        public var timeout: ConfigDuration
        public var snapshotOnEscalation: Bool

        public static let defaultPollEvery = ConfigDuration(.seconds(300))
        public static let defaultTimeout = ConfigDuration(.seconds(5))
        /// One section per provider plus a few blocks must stay under Slack's 50 blocks.
        public static let maximumProviders = 40

        public init(
            providers: [Provider], watchChannel: String? = nil, pollEvery: ConfigDuration = Configuration.defaultPollEvery,
            timeout: ConfigDuration = Configuration.defaultTimeout, snapshotOnEscalation: Bool = true
        ) {
            self.providers = providers
            self.watchChannel = watchChannel
            self.pollEvery = pollEvery
            self.timeout = timeout
            self.snapshotOnEscalation = snapshotOnEscalation
        }

        enum CodingKeys: String, CodingKey {
            case providers, watchChannel = "watch_channel", pollEvery = "poll_every", timeout
            case snapshotOnEscalation = "snapshot_on_escalation"
            /// For tests and the playground only: every provider is read at `<this URL>/<name>`
            /// instead of its own host (the fake status pages serve them all under one port).
            case baseURLOverride = "base_url_override"
        }

        // Hand-written because synthesized Decodable ignores property defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let entries = try ProviderEntry.list(in: container, forKey: .providers)
            var providers: [Provider] = []
            for entry in entries {
                let provider: Provider
                do {
                    provider = try entry.resolved()
                } catch {
                    throw DecodingError.dataCorruptedError(forKey: .providers, in: container, debugDescription: error.reason)
                }
                guard !providers.contains(where: { $0.name == provider.name }) else {
                    throw DecodingError.dataCorruptedError(forKey: .providers, in: container, debugDescription: "lists '\(provider.name)' twice")
                }
                providers.append(provider)
            }
            guard !providers.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .providers, in: container,
                    debugDescription: "is empty: name at least one provider (e.g. github, heroku, slack) or {name, url, kind}")
            }
            guard providers.count <= Self.maximumProviders else {
                throw DecodingError.dataCorruptedError(
                    forKey: .providers, in: container, debugDescription: "lists \(providers.count) providers; at most \(Self.maximumProviders) fit in one message")
            }
            if let base = try container.decodeServiceURL(forKey: .baseURLOverride, default: nil) {
                providers = providers.map { Provider(name: $0.name, title: $0.title, url: base + "/" + $0.name, kind: $0.kind) }
            }
            self.providers = providers

            let channel = try container.decodeIfPresent(String.self, forKey: .watchChannel)?.trimmingCharacters(in: .whitespaces) ?? ""
            if channel.isEmpty {
                watchChannel = nil
            } else {
                guard let first = channel.first, "CG".contains(first), channel.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .watchChannel, in: container, debugDescription: "must be a channel id such as C0123ABCD, found '\(channel)'")
                }
                watchChannel = channel
            }
            pollEvery = try container.decodeIfPresent(ConfigDuration.self, forKey: .pollEvery) ?? Self.defaultPollEvery
            guard pollEvery.duration >= .seconds(60) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .pollEvery, in: container, debugDescription: "is \(pollEvery); poll at most once a minute so providers are not hammered")
            }
            timeout = try container.decodeIfPresent(ConfigDuration.self, forKey: .timeout) ?? Self.defaultTimeout
            guard timeout.duration >= .seconds(1), timeout.duration <= .seconds(30) else {
                throw DecodingError.dataCorruptedError(forKey: .timeout, in: container, debugDescription: "must be between 1s and 30s, found \(timeout)")
            }
            snapshotOnEscalation = try container.decodeIfPresent(Bool.self, forKey: .snapshotOnEscalation) ?? true
        }
    }
}
