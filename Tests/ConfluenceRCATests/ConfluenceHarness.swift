import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import ConfluenceRCAPlugin
import Foundation
import RolesPlugin
import SlackSimulator
import Testing

/// The real host with Cases (and optionally Roles) and the Confluence plugin against the Slack
/// simulator and the fake Confluence; cases are announced in #incidents.
enum ConfluenceHarness {
    static func config(roles: Bool = true, confluence extra: [String] = []) -> String {
        var lines = [
            "host:", "  sockets: 1", "plugins:",
            "  cases:", "    enabled: true", "    config:", "      notifications_channel: C0INCIDENTS",
        ]
        if roles { lines += ["  roles:", "    enabled: true", "    config:", "      digest_channel: C0ALERTS"] }
        lines += [
            "  confluence:", "    enabled: auto", "    config:",
            "      base_url: ${CONFLUENCE_API_URL:-}", "      username: ${CONFLUENCE_API_USERNAME:-}", "      api_token: ${CONFLUENCE_API_TOKEN:-}",
            "      space: ${CONFLUENCE_SPACE:-}", "      parent_page: ${CONFLUENCE_PARENT_PAGE:-}",
        ]
        lines += extra.map { "      " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func environment(token: String = FakeConfluence.seededAPIToken, space: String = FakeConfluence.seededSpace) -> [String: String] {
        [
            "CONFLUENCE_API_URL": "https://casebook-sim.atlassian.net/wiki", "CONFLUENCE_API_USERNAME": FakeConfluence.seededUsername,
            "CONFLUENCE_API_TOKEN": token, "CONFLUENCE_SPACE": space, "CONFLUENCE_PARENT_PAGE": FakeConfluence.seededParentPage,
        ]
    }

    static func run<T: Sendable>(
        config: String = ConfluenceHarness.config(), environment: [String: String] = ConfluenceHarness.environment(), roles: Bool = true,
        confluence: FakeConfluence = .seeded(), logs: CapturedLogs? = nil, database: TestDatabase.Backend = .sqlite, _ body: @Sendable (TestHost, FakeConfluence) async throws -> T
    ) async throws -> T {
        let plugins: [any Plugin.Type] = roles
            ? [CasesPlugin.self, RolesPlugin.self, ConfluenceRCAPlugin.self] : [CasesPlugin.self, ConfluenceRCAPlugin.self]
        var handler: (@Sendable (String) -> any LogHandler)?
        if let logs { handler = { _ in logs.handler() } }
        return try await TestHost.withRunning(
            .inProcess, plugins: plugins, config: config, environment: environment, logLevel: logs == nil ? .warning : .debug, database: database,
            fakes: [confluence],
            logHandler: handler
        ) { host in try await body(host, confluence) }
    }

    /// Opens a case as alice in #general, escalates it, gives bob the comms role when roles are on,
    /// and lets the jobs run; returns its channel id.
    static func incident(_ host: TestHost, _ title: String = "Checkout errors", roles: Bool = true) async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        _ = try await host.slash("open \(title)", as: "alice", in: "general")
        let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }?.id)
        let reply = try await host.slash("incident", as: "alice", in: channel)
        #expect(reply?.text.contains("incident commander") == true, "escalation: \(reply?.text ?? "none")")
        if roles { _ = try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel) }
        try await host.settleJobs()
        return channel
    }

    static func resolve(_ host: TestHost, _ channel: String) async throws {
        _ = try await host.slash("resolve", as: "alice", in: channel)
        try await host.settleJobs()
    }

    static func texts(_ host: TestHost, in channel: String) -> [String] {
        host.simulator.messages(in: channel).map { SlackReply(text: $0.text, blocks: $0.blocks).allText }
    }

    static func links(_ host: TestHost, in channel: String) -> [String] {
        texts(host, in: channel).filter { $0.contains("RCA page") && $0.contains("atlassian.net") }
    }

    static func caseID(_ host: TestHost, channel: String) async throws -> String {
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return try #require(opened?.subject)
    }

    static func rcaChannel(_ host: TestHost, for channel: String) -> String? {
        let name = host.simulator.conversations.first { $0.id == channel }?.name
        return host.simulator.conversations.first { $0.name == "\(name ?? "")-rca" }?.id
    }
}
