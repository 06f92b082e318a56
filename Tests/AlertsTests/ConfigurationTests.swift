@testable import AlertsPlugin
import CasebookHost
import CasebookTesting
import CasesPlugin
import Foundation
import Testing

/// The shipped `plugins.yaml` section: off without a token, on with one; values checked.
@Suite struct AlertsConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped alerts section under a minimal cases section.
    static func shipped() throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent("plugins.yaml"), encoding: .utf8)
        let start = try #require(text.range(of: "\n  alerts:\n"))
        let end = text.range(of: "\n  statuspage:\n", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        return "plugins:\n  cases:\n    enabled: true\n    config: { notifications_channel: C0INCIDENTS }" + text[start.lowerBound..<end] + "\n"
    }

    static func load(_ yaml: String, _ environment: [String: String]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(yaml: yaml, environment: environment, available: [CasesPlugin.self, AlertsPlugin.self])
    }

    static func alerts(_ loaded: LoadedConfiguration) -> AlertsPlugin.Configuration? {
        loaded.plugins.first { $0.id == "alerts" }?.configuration as? AlertsPlugin.Configuration
    }

    @Test func theShippedSectionIsOffWithoutATokenAndOnWithOne() throws {
        let yaml = try Self.shipped()
        #expect(Self.alerts(try Self.load(yaml, [:])) == nil)
        let on = try #require(Self.alerts(try Self.load(yaml, ["ALERTS_WEBHOOK_TOKEN": AlertsHarness.token])))
        #expect(on == AlertsPlugin.Configuration(token: AlertsHarness.token))
        let signed = try #require(Self.alerts(try Self.load(yaml, ["ALERTS_WEBHOOK_TOKEN": AlertsHarness.token, "ALERTS_HMAC_SECRET": "s3cret"])))
        #expect(signed.hmacSecret == "s3cret")
    }

    @Test func valuesAreReadAndBadOnesRefusedWithoutEchoingTheToken() throws {
        let base = "plugins:\n  cases:\n    enabled: true\n    config: { notifications_channel: C0INCIDENTS }\n  alerts:\n    enabled: true\n    config:\n"
        let full = base + """
                  token: \(AlertsHarness.token)
                  escalate_when: { severity: critical }
                  route_channels: { "team=payments": C0PAY }
                  responders: "U0ALICE, S0RESPONDERS"
                  resolve_with_alert: true

            """
        let configuration = try #require(Self.alerts(try Self.load(full, [:])))
        #expect(configuration.responderUsers == ["U0ALICE"])
        #expect(configuration.responderGroups == ["S0RESPONDERS"])
        #expect(configuration.escalates(["severity": "critical", "team": "x"]))
        #expect(!configuration.escalates(["severity": "warning"]))
        #expect(configuration.routedChannels(["team": "payments"]) == ["C0PAY"])
        #expect(configuration.resolveWithAlert)

        #expect(throws: (any Error).self) { try Self.load(base + "      token: short-token\n", [:]) }
        do {
            _ = try Self.load(base + "      token: \(AlertsHarness.token)\n      route_channels: { payments: C0PAY }\n", [:])
            Issue.record("a route without label=value was accepted")
        } catch {
            #expect("\(error)".contains("label=value"))
            #expect(!"\(error)".contains(AlertsHarness.token))
        }
    }
}
