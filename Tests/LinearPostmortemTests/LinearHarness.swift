import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import LinearPostmortemPlugin
import RolesPlugin
import SlackSimulator
import Testing

/// The real host with Cases, Roles and the linear plugin against the Slack simulator and a seeded
/// ``FakeLinear`` whose URL replaces `api_url`; the fake's clock is the host's.
enum LinearHarness {
    static func config(linear extra: [String] = []) -> String {
        var lines = [
            "host:", "  sockets: 1", "plugins:",
            "  cases:", "    enabled: true", "    config:", "      notifications_channel: C0INCIDENTS",
            "  roles:", "    enabled: true", "    config:", "      digest_channel: C0ALERTS",
            "  linear:", "    enabled: auto", "    config:", "      api_key: ${LINEAR_API_KEY}", "      team_id: ${LINEAR_TEAM_ID}",
            "      project_id: ${LINEAR_PROJECT_ID:-}",
        ]
        lines += extra.map { "      " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func environment(apiKey: String = FakeLinear.seededAPIKey, teamID: String = FakeLinear.seededTeamID) -> [String: String] {
        ["LINEAR_API_KEY": apiKey, "LINEAR_TEAM_ID": teamID, "LINEAR_PROJECT_ID": FakeLinear.seededProjectID]
    }

    /// Set `LINEAR_TEST_LOG=1` to see the host's debug log.
    static func run<T: Sendable>(
        config: String = LinearHarness.config(), environment: [String: String] = LinearHarness.environment(), logs: CapturedLogs? = nil,
        _ body: @Sendable (TestHost, FakeLinear) async throws -> T
    ) async throws -> T {
        let fake = FakeLinear.seeded()
        let level: Logger.Level = logs != nil || ProcessInfo.processInfo.environment["LINEAR_TEST_LOG"] != nil ? .trace : .warning
        var handler: (@Sendable (String) -> any LogHandler)?
        if let logs { handler = { _ in logs.handler() } }
        return try await TestHost.withRunning(
            .inProcess, plugins: [CasesPlugin.self, RolesPlugin.self, LinearPostmortemPlugin.self], config: config, environment: environment, logLevel: level,
            fakes: [fake], logHandler: handler
        ) { host in
            let clock = host.clock
            fake.now = { clock.now() }
            return try await body(host, fake)
        }
    }

    /// Opens a case as alice and escalates it; returns its channel.
    static func incident(_ host: TestHost, _ title: String = "Checkout errors") async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        _ = try await host.slash("open \(title)", as: "alice", in: "general")
        let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }?.id)
        _ = try await host.slash("incident", as: "alice", in: channel)
        try await host.settleJobs()
        return channel
    }

    /// Resolves the incident in `channel` as alice and lets the jobs run, including a call that
    /// waits a few seconds for the roles plugin's RCA channel.
    static func resolve(_ host: TestHost, _ channel: String) async throws {
        let reply = try await host.slash("resolve", as: "alice", in: channel)
        #expect(reply != nil)
        try await host.settleJobs(timeout: .seconds(20))
        try await host.advance(by: .seconds(20))
    }

    static func texts(_ host: TestHost, in channel: String) -> [String] {
        host.simulator.messages(in: channel).map { SlackReply(text: $0.text, blocks: $0.blocks).allText }
    }

    static func caseID(_ host: TestHost, channel: String) async throws -> String {
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return try #require(opened?.subject)
    }

    /// What `issueCreate` was sent, request by request.
    static func inputs(_ fake: FakeLinear) -> [JSONValue] {
        fake.createRequests.compactMap { $0.json?["variables"]?["input"] }
    }
}
