import CasebookKit
import Foundation
import Testing

@testable import CasebookHost

/// An integration-style plugin that `enabled: auto` switches on by its routing key.
private struct PagerFixture: Plugin {
    struct Configuration: Decodable, Sendable, Equatable {
        var routingKey: String
        var eventsURL: String?
    }

    static let id = "pager"
    static var requirements: Requirements { Requirements(requiredConfigKeys: ["routing_key"]) }
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

private struct QuietFixture: StatelessPlugin {
    static let id = "quiet"
    func register(_ routes: inout Routes<Self>) {}
}

private func load(_ yaml: String, environment: [String: String] = [:], overrides: [String: [String: String]] = [:]) throws -> LoadedConfiguration {
    try ConfigurationLoader.load(
        yaml: yaml, file: "plugins.yaml", environment: environment, available: [PagerFixture.self, QuietFixture.self], overrides: overrides)
}

@Suite struct AutoEnableTests {
    let yaml = """
        plugins:
          pager:
            enabled: auto
            config:
              routing_key: ${PAGERDUTY_ROUTING_KEY:-}
          quiet:
            enabled: false
        """

    @Test func autoIsOnWhenItsRequiredKeysResolve() throws {
        let loaded = try load(yaml, environment: ["PAGERDUTY_ROUTING_KEY": "R0123456789abcdef0123456789abcde"])
        #expect(loaded.plugins.map(\.id) == ["pager"])
        #expect(loaded.plugins.first?.configuration as? PagerFixture.Configuration
            == PagerFixture.Configuration(routingKey: "R0123456789abcdef0123456789abcde", eventsURL: nil))
        #expect(loaded.pluginStates == ["pager: on", "quiet: off (enabled: false)"])
    }

    @Test func autoIsOffNamingTheFirstMissingKeyWhenTheVariableIsUnsetOrEmpty() throws {
        for environment in [[:], ["PAGERDUTY_ROUTING_KEY": "  "]] {
            let loaded = try load(yaml, environment: environment)
            #expect(loaded.plugins.isEmpty)
            #expect(loaded.disabled == ["pager", "quiet"])
            #expect(loaded.pluginStates == [
                "pager: off (auto: plugins.pager.config.routing_key is empty)", "quiet: off (enabled: false)",
            ])
        }
        // No `config` at all, and a plugin not listed.
        let bare = try load("plugins:\n  pager: { enabled: auto }\n")
        #expect(bare.pluginStates == ["pager: off (auto: plugins.pager.config.routing_key is empty)", "quiet: off (not listed)"])
    }

    @Test func anAutoPluginThatIsOnIsValidatedLikeAnyOther() {
        let text = """
            plugins:
              pager:
                enabled: auto
                config:
                  routing_key: ${PAGERDUTY_ROUTING_KEY}
                  events_urll: https://events.pagerduty.com
            """
        #expect(throws: ConfigurationErrors.self) { try load(text, environment: ["PAGERDUTY_ROUTING_KEY": "k"]) }
    }

    @Test func overridesReplaceFileValues() throws {
        let loaded = try load(
            yaml, environment: ["PAGERDUTY_ROUTING_KEY": "k"], overrides: ["pager": ["events_url": "http://127.0.0.1:9"]])
        #expect((loaded.plugins.first?.configuration as? PagerFixture.Configuration)?.eventsURL == "http://127.0.0.1:9")
    }
}
