import CasebookHost
import CasebookTesting
import Foundation
import Testing
@testable import CasesPlugin
@testable import StatusProvidersPlugin

/// Point 1: the keys, their defaults, `enabled: auto` on `providers`, and
/// `INCIDENT_EXTERNAL_PROVIDERS_LIST` as a comma-separated list or a JSON array.
@Suite struct ConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped `plugins.yaml`'s status_providers section (up to the next plugin's), under a
    /// minimal cases section.
    static let shipped: String? = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("plugins.yaml"), encoding: .utf8),
              let start = text.range(of: "\n  status_providers:\n")
        else { return nil }
        var section = text[start.lowerBound...]
        if let next = section.dropFirst().firstRange(of: /\n  [a-z_]+:\n/) { section = section[..<next.lowerBound] }
        return "plugins:\n  cases:\n    enabled: true\n    config: { notifications_channel: C0INCIDENTS }" + section
    }()

    static func load(_ yaml: String, _ environment: [String: String] = [:]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(yaml: yaml, environment: environment, available: [CasesPlugin.self, StatusProvidersPlugin.self])
    }

    static func plugin(_ loaded: LoadedConfiguration) -> StatusProvidersPlugin.Configuration? {
        loaded.plugins.first { $0.id == StatusProvidersPlugin.id }?.configuration as? StatusProvidersPlugin.Configuration
    }

    static func yaml(_ config: String) -> String {
        """
        plugins:
          cases: { enabled: true, config: { notifications_channel: C0INCIDENTS } }
          status_providers:
            enabled: true
            config:
        \(config.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    /// The problem text for a configuration that must be refused.
    static func refusal(_ config: String) -> String {
        do {
            _ = try load(yaml(config))
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func theShippedFileIsOffWithoutProvidersAndReadsTheVariableInBothForms() throws {
        let yaml = try #require(Self.shipped)
        let off = try Self.load(yaml)
        #expect(off.pluginStates.contains { $0.hasPrefix("status_providers: off") }, "\(off.pluginStates)")
        #expect(Self.plugin(off) == nil)

        let commas = try #require(Self.plugin(try Self.load(yaml, ["INCIDENT_EXTERNAL_PROVIDERS_LIST": "GitHub, heroku ,slack"])))
        #expect(commas.providers.map(\.name) == ["github", "heroku", "slack"])
        #expect(commas.providers.map(\.kind) == [.statuspage, .heroku, .slack])
        #expect(commas.providers.first?.statusURL == "https://www.githubstatus.com/api/v2/summary.json")
        #expect(commas.providers.last?.statusURL == "https://slack-status.com/api/v2.0.0/current")
        #expect(commas.pollEvery == ConfigDuration(.seconds(300)) && commas.timeout == ConfigDuration(.seconds(5)))
        #expect(commas.snapshotOnEscalation && commas.watchChannel == nil)

        let json = try #require(Self.plugin(try Self.load(yaml, ["INCIDENT_EXTERNAL_PROVIDERS_LIST": #"["auth0", "github", "heroku"]"#])))
        #expect(json.providers.map(\.name) == ["auth0", "github", "heroku"])
        #expect(json.providers[1].url == "https://www.githubstatus.com")
        #expect(json.providers[2].statusURL == "https://status.heroku.com/api/v4/current-status")
    }

    @Test func aYAMLListTakesNamesAndMappingsAndTheKeysTheirValues() throws {
        let loaded = try Self.load(Self.yaml("""
            providers:
              - cloudflare
              - { name: acme, url: "https://status.acme.example/", kind: statuspage }
              - { name: ourheroku, url: https://status.heroku.example, kind: heroku }
              - { name: github, url: https://github.internal.example }
            watch_channel: C0VENDORS
            poll_every: 2m
            timeout: 3s
            snapshot_on_escalation: false
            """))
        let configuration = try #require(Self.plugin(loaded))
        #expect(configuration.providers == [
            Provider(name: "cloudflare", title: "Cloudflare", url: "https://www.cloudflarestatus.com"),
            Provider(name: "acme", url: "https://status.acme.example"),
            Provider(name: "ourheroku", url: "https://status.heroku.example", kind: .heroku),
            Provider(name: "github", title: "GitHub", url: "https://github.internal.example"),
        ])
        #expect(configuration.watchChannel == "C0VENDORS")
        #expect(configuration.pollEvery == ConfigDuration(.seconds(120)) && configuration.timeout == ConfigDuration(.seconds(3)))
        #expect(!configuration.snapshotOnEscalation)

        let overridden = try #require(Self.plugin(try Self.load(Self.yaml("providers: [github, slack]\nbase_url_override: http://127.0.0.1:9999/"))))
        #expect(overridden.providers.map(\.statusURL) == ["http://127.0.0.1:9999/github/api/v2/summary.json", "http://127.0.0.1:9999/slack/api/v2.0.0/current"])
    }

    @Test func theCatalogueCoversTheStatuspagePagesOfTheReferenceAndHerokuAndSlack() {
        let names = Set(KnownProviders.all.map(\.name))
        for name in ["github", "cloudflare", "confluence", "jira", "jira-service-management", "bitbucket", "trello", "opsgenie", "loom", "anthropic",
                     "datadog", "twilio", "digitalocean", "netlify", "vercel", "sentry", "newrelic", "circleci", "npm", "dropbox", "zoom", "reddit",
                     "figma", "auth0", "heroku", "slack"] {
            #expect(names.contains(name), "\(name)")
        }
        #expect(KnownProviders.all.allSatisfy { $0.url.hasPrefix("https://") && !$0.url.hasSuffix("/") })
        #expect(KnownProviders.named("heroku")?.kind == .heroku && KnownProviders.named("slack")?.kind == .slack)
        #expect(KnownProviders.all.filter { $0.kind == .statuspage }.count == KnownProviders.all.count - 2)
    }

    @Test func badValuesAreRefusedWithTheReason() {
        #expect(Self.refusal("providers: [github, gitlab]").contains("'gitlab' is not a known provider"))
        #expect(Self.refusal("providers: [{ name: acme, url: https://status.acme.example, kind: statusio }]").contains("must be one of statuspage, heroku, slack"))
        #expect(Self.refusal("providers: [{ name: acme, url: http://status.acme.example }]").contains("must be an https:// URL"))
        #expect(Self.refusal("providers: [github, GitHub]").contains("lists 'github' twice"))
        #expect(Self.refusal(#"providers: '["github", '"#).contains("looks like a JSON array"))
        #expect(Self.refusal("providers: []").contains("is empty"))
        #expect(Self.refusal("providers: [github]\npoll_every: 10s").contains("at most once a minute"))
        #expect(Self.refusal("providers: [github]\npoll_every: 300").contains("expected a duration"))
        #expect(Self.refusal("providers: [github]\ntimeout: 45s").contains("between 1s and 30s"))
        #expect(Self.refusal("providers: [github]\nwatch_channel: vendors").contains("must be a channel id"))
        #expect(Self.refusal("providers: [github]").isEmpty)
    }
}
