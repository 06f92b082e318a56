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
    public struct Configuration: PluginConfiguration, Equatable {
        @ReadWith<ProviderList> public var providers: [Provider] = []
        /// Where the watch tells every change (optional; escalated case channels hear them anyway).
        public var watchChannel: String?
        public var pollEvery = Configuration.defaultPollEvery
        /// How long one provider may take to answer before it reads "status unknown".
        public var timeout = Configuration.defaultTimeout
        public var snapshotOnEscalation = true
        /// For tests and the playground only: every provider is read at `<this URL>/<name>`
        /// instead of its own host (the fake status pages serve them all under one port).
        var baseURLOverride: String?

        public static let defaultPollEvery = ConfigDuration(.seconds(300))
        public static let defaultTimeout = ConfigDuration(.seconds(5))
        /// One section per provider plus a few blocks must stay under Slack's 50 blocks.
        public static let maximumProviders = 40
        public static let defaults = Configuration()

        public mutating func validate() throws {
            guard !providers.isEmpty else {
                throw ConfigurationError("providers", "is empty: name at least one provider (e.g. github, heroku, slack) or {name, url, kind}")
            }
            guard providers.count <= Self.maximumProviders else {
                throw ConfigurationError("providers", "lists \(providers.count) providers; at most \(Self.maximumProviders) fit in one message")
            }
            if let base = try baseURLOverride.map({ try ServiceURL.checked($0, key: "baseURLOverride") }) {
                providers = providers.map { Provider(name: $0.name, title: $0.title, url: base + "/" + $0.name, kind: $0.kind) }
            }
            if let channel = watchChannel {
                guard let first = channel.first, "CG".contains(first), channel.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                    throw ConfigurationError("watchChannel", "must be a channel id such as C0123ABCD, found '\(channel)'")
                }
            }
            guard pollEvery.duration >= .seconds(60) else {
                throw ConfigurationError("pollEvery", "is \(pollEvery); poll at most once a minute so providers are not hammered")
            }
            guard timeout.duration >= .seconds(1), timeout.duration <= .seconds(30) else {
                throw ConfigurationError("timeout", "must be between 1s and 30s, found \(timeout)")
            }
        }
    }
}
