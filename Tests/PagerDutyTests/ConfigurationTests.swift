import CasebookHost
import CasebookKit
import CasesPlugin
import Foundation
@testable import PagerDutyPlugin
import Testing

/// Point 1: keys, defaults, and errors that name the key without printing the secret.
@Suite struct PagerDutyConfigurationTests {
    func load(_ config: String, _ environment: [String: String] = [:]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(
            yaml: "plugins:\n  cases: { enabled: true, config: { notifications_channel: C1 } }\n  pagerduty:\n" + config,
            environment: environment, available: [CasesPlugin.self, PagerDutyPlugin.self])
    }

    @Test func defaults() throws {
        let loaded = try load("    enabled: auto\n    config:\n      routing_key: ${PAGERDUTY_ROUTING_KEY:-}\n", ["PAGERDUTY_ROUTING_KEY": FakeKey.valid])
        let configuration = try #require(loaded.plugins.last?.configuration as? PagerDutyPlugin.Configuration)
        #expect(configuration == PagerDutyPlugin.Configuration(routingKey: FakeKey.valid))
        #expect(configuration.pagerDutySeverity("sev2") == "error")
        #expect(configuration.pagerDutySeverity(nil) == "critical")
    }

    @Test func autoIsOffWithoutARoutingKey() throws {
        let loaded = try load("    enabled: auto\n    config:\n      routing_key: ${PAGERDUTY_ROUTING_KEY:-}\n")
        #expect(loaded.pluginStates.contains("pagerduty: off (auto: plugins.pagerduty.config.routing_key is empty)"))
    }

    @Test func aRoutingKeyOfTheWrongLengthIsNamedButNotPrinted() {
        let secret = "abc123secretvalue"
        do {
            _ = try load("    enabled: true\n    config:\n      routing_key: ${KEY}\n", ["KEY": secret])
            Issue.record("a 17-character key was accepted")
        } catch let error as ConfigurationErrors {
            let text = error.problems.map(\.description).joined(separator: "\n")
            #expect(text.contains("plugins.pagerduty.config.routing_key"))
            #expect(text.contains("32-character"))
            #expect(!text.contains(secret))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func severityMapAndBaseURLsAreValidated() {
        let badMap = "    enabled: true\n    config: { routing_key: \(FakeKey.valid), severity_map: { sev1: urgent } }\n"
        #expect(throws: ConfigurationErrors.self) { try load(badMap) }
        let plainHTTP = "    enabled: true\n    config: { routing_key: \(FakeKey.valid), events_url: 'http://events.example.com' }\n"
        #expect(throws: ConfigurationErrors.self) { try load(plainHTTP) }
        let loopback = "    enabled: true\n    config: { routing_key: \(FakeKey.valid), events_url: 'http://127.0.0.1:9/' }\n"
        #expect((try? load(loopback))?.plugins.count == 2)
    }
}

enum FakeKey {
    static let valid = "e93facc04764012d7bfb002500d5d1a6"
}
