import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import PagerDutyPlugin
import RolesPlugin
import SlackSimulator
import Synchronization
import Testing

/// The real host with Cases (and optionally Roles) and PagerDuty against the Slack simulator and
/// the fake PagerDuty; cases are announced in #incidents.
enum PagerDutyHarness {
    static let routingKey = FakePagerDuty.seededRoutingKey
    static let token = FakePagerDuty.seededAPIToken

    static func config(roles: Bool = false, pagerduty extra: [String] = [], apiToken: Bool = false) -> String {
        var lines = [
            "host:", "  sockets: 1", "plugins:",
            "  cases:", "    enabled: true", "    config:", "      notifications_channel: C0INCIDENTS",
        ]
        if roles { lines += ["  roles:", "    enabled: true", "    config:", "      digest_channel: C0ALERTS"] }
        lines += ["  pagerduty:", "    enabled: auto", "    config:", "      routing_key: ${PAGERDUTY_ROUTING_KEY:-}"]
        if apiToken { lines.append("      api_token: ${PAGERDUTY_API_TOKEN:-}") }
        lines += extra.map { "      " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func environment(routingKey: String = PagerDutyHarness.routingKey) -> [String: String] {
        ["PAGERDUTY_ROUTING_KEY": routingKey, "PAGERDUTY_API_TOKEN": token]
    }

    static func run<T: Sendable>(
        config: String, environment: [String: String] = PagerDutyHarness.environment(), roles: Bool = false,
        pagerduty: FakePagerDuty = .seeded(), logs: CapturedLogs? = nil, _ body: @Sendable (TestHost, FakePagerDuty) async throws -> T
    ) async throws -> T {
        let plugins: [any Plugin.Type] = roles ? [CasesPlugin.self, RolesPlugin.self, PagerDutyPlugin.self] : [CasesPlugin.self, PagerDutyPlugin.self]
        var handler: (@Sendable (String) -> any LogHandler)?
        if let logs { handler = { _ in logs.handler() } }
        return try await TestHost.withRunning(
            .inProcess, plugins: plugins, config: config, environment: environment, logLevel: logs == nil ? .warning : .debug, fakes: [pagerduty],
            logHandler: handler
        ) { host in try await body(host, pagerduty) }
    }

    /// Opens a case as alice in #general; returns its channel id.
    static func open(_ host: TestHost, _ title: String = "Checkout errors") async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        _ = try await host.slash("open \(title)", as: "alice", in: "general")
        let created = host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }
        return try #require(created?.id)
    }

    /// Opens and escalates a case as alice, then lets the jobs run.
    static func incident(_ host: TestHost, _ title: String = "Checkout errors") async throws -> String {
        let channel = try await open(host, title)
        let reply = try await host.slash("incident", as: "alice", in: channel)
        #expect(reply?.text.contains("incident commander") == true, "escalation: \(reply?.text ?? "none")")
        try await host.settleJobs()
        return channel
    }

    static func texts(_ host: TestHost, in channel: String) -> [String] {
        host.simulator.messages(in: channel).map { SlackReply(text: $0.text, blocks: $0.blocks).allText }
    }

    static func caseID(_ host: TestHost, channel: String) async throws -> String {
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return try #require(opened?.subject)
    }
}
