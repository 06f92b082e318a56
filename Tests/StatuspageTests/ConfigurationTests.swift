import CasebookHost
import CasebookTesting
import Testing
@testable import CasesPlugin
@testable import RolesPlugin
@testable import StatuspagePlugin

/// Point 1: the configuration keys, their defaults, and `enabled: auto` on the key and the page.
@Suite struct ConfigurationTests {
    /// The shipped `plugins.yaml`'s statuspage section, under a minimal cases section.
    static let shipped: String? = {
        guard let text = try? String(contentsOf: PublishPathTests.root.appendingPathComponent("plugins.yaml"), encoding: .utf8),
              let start = text.range(of: "\n  statuspage:\n")
        else { return nil }
        return "plugins:\n  cases:\n    enabled: true\n    config: { notifications_channel: C0INCIDENTS }" + text[start.lowerBound...]
    }()

    static func load(_ yaml: String, _ environment: [String: String]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(yaml: yaml, environment: environment, available: [CasesPlugin.self, RolesPlugin.self, StatuspagePlugin.self])
    }

    static func statuspage(_ loaded: LoadedConfiguration) -> StatuspagePlugin.Configuration? {
        loaded.plugins.first { $0.id == "statuspage" }?.configuration as? StatuspagePlugin.Configuration
    }

    static let workspace = ["ISSUES_CHANNEL_ID": "C0INCIDENTS", "DIGEST_CHANNEL_ID": "C0ALERTS"]

    @Test func theShippedFileSwitchesItOnFromTheEnvironmentWithTheDefaults() throws {
        let yaml = try #require(Self.shipped)
        let off = try Self.load(yaml, Self.workspace)
        #expect(off.pluginStates.contains { $0.hasPrefix("statuspage: off") })
        let onlyKey = try Self.load(yaml, Self.workspace.merging(["STATUSPAGE_API_KEY": "k-123456"]) { $1 })
        #expect(Self.statuspage(onlyKey) == nil, "the page id is required too")

        let on = try Self.load(yaml, Self.workspace.merging([
            "STATUSPAGE_API_KEY": "k-123456", "STATUSPAGE_PAGE_ID": "gytm4qzbx9t6", "STATUSPAGE_URL": "https://status.example.com/",
        ]) { $1 })
        let configuration = try #require(Self.statuspage(on))
        #expect(configuration == StatuspagePlugin.Configuration(
            apiKey: "k-123456", pageID: "gytm4qzbx9t6", apiURL: "https://api.statuspage.io/v1", publicURL: "https://status.example.com",
            approvers: ["commander"], deliverNotifications: true, proposeOnPhaseChange: true))
    }

    @Test func defaultsApplyWhenKeysAreLeftOutAndBadValuesAreRefused() throws {
        func yaml(_ extra: String) -> String {
            """
            plugins:
              cases: { enabled: true, config: { notifications_channel: C0INCIDENTS } }
              statuspage:
                enabled: true
                config:
                  api_key: k-123456
                  page_id: gytm4qzbx9t6
            \(extra.isEmpty ? "" : "      " + extra)
            """
        }
        let minimal = try #require(Self.statuspage(try Self.load(yaml(""), [:])))
        #expect(minimal.apiURL == StatuspagePlugin.Configuration.defaultAPIURL)
        #expect(minimal.approvers == ["commander"] && minimal.deliverNotifications && minimal.proposeOnPhaseChange && minimal.publicURL == nil)
        #expect(try Self.statuspage(try Self.load(yaml("approvers: comms, U0CAROL"), [:]))?.approvers == ["comms", "U0CAROL"])
        #expect(throws: (any Error).self) { try Self.load(yaml("api_url: http://api.statuspage.io/v1"), [:]) }
        #expect(throws: (any Error).self) { try Self.load(yaml("approvers: []"), [:]) }
        #expect(try Self.statuspage(try Self.load(yaml("api_url: http://127.0.0.1:8080/"), [:]))?.apiURL == "http://127.0.0.1:8080")
    }
}
