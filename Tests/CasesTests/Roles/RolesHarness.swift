import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// The real host with the Cases and Roles plugins against the simulator's seeded workspace (alice,
/// bob, carol; dave a guest; erin external; alertbot a bot). Cases announce in #incidents; the
/// incident digest is #alerts.
enum RolesHarness {
    static let digest = "C0ALERTS"

    static func config(roles extra: String = "") -> String {
        """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
          roles:
            enabled: true
            config:
              digest_channel: \(digest)
        \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    /// Set `ROLES_TEST_LOG=1` to see the host's debug log.
    static func run<T: Sendable>(
        _ mode: TestHost.Mode = .inProcess, config: String = RolesHarness.config(), plugins: [any Plugin.Type] = [CasesPlugin.self, RolesPlugin.self],
        database: TestDatabase.Backend = .sqlite, _ body: @Sendable (TestHost) async throws -> T
    ) async throws -> T {
        let level: Logger.Level = ProcessInfo.processInfo.environment["ROLES_TEST_LOG"] == nil ? .warning : .debug
        return try await TestHost.withRunning(mode, plugins: plugins, config: config, logLevel: level, database: database, body)
    }

    /// Opens a case as alice and escalates it as `commander`; returns the case channel once the
    /// Roles plugin has reacted (panel and digest posted).
    static func incident(_ host: TestHost, _ title: String = "Checkout errors", commander: String = "alice") async throws -> String {
        let channel = try await CasesHarness.open(host, title).id
        try await host.join(commander, channel)
        let reply = try await host.slash("incident", as: commander, in: channel)
        #expect(reply?.text.contains("incident commander") == true, "escalation: \(reply?.text ?? "none")")
        try await host.settleJobs()
        try await host.waitUntil("the control panel") { panel(host, channel) != nil }
        return channel
    }

    static func messages(_ host: TestHost, in channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel)
    }

    static func text(_ message: StoredMessage) -> String {
        SlackReply(text: message.text, blocks: message.blocks).allText
    }

    static func panel(_ host: TestHost, _ channel: String) -> StoredMessage? {
        messages(host, in: channel).first { $0.text.hasPrefix("Incident control panel") }
    }

    /// The incident's digest message (top level, not an update in its thread).
    static func digestMessages(_ host: TestHost) -> [StoredMessage] {
        messages(host, in: digest).filter { $0.threadTS == nil && !$0.text.contains("open longer than") }
    }

    static func reminders(_ host: TestHost, in channel: String) -> [StoredMessage] {
        messages(host, in: channel).filter { $0.text.hasPrefix("⏰") }
    }

    static func caseID(_ host: TestHost, channel: String) async throws -> String {
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return try #require(opened?.subject)
    }

    static func incidentRow(_ host: TestHost, channel: String) async throws -> Incident? {
        let id = try await caseID(host, channel: channel)
        let storage = try host.app.database.storage(plugin: RolesPlugin.id) as any PluginStorage
        return try await storage.read { db in try await IncidentStore.find(caseID: id, on: db) }
    }

    /// Every text of every message in `channel`.
    static func allText(_ host: TestHost, in channel: String) -> String {
        messages(host, in: channel).map(text).joined(separator: "\n")
    }

    static func rolesAudit(_ host: TestHost) async throws -> [String] {
        try await host.app.database.auditEntries().filter { $0.plugin == RolesPlugin.id }.map(\.action)
    }

    /// Clicks an element of the control panel.
    @discardableResult
    static func clickPanel(
        _ host: TestHost, _ channel: String, _ actionID: String, as user: String, option: String? = nil, selectedUser: String? = nil
    ) async throws -> JSONValue? {
        let message = try #require(Self.panel(host, channel))
        let answer = try await host.click(actionID, as: user, channel: channel, messageTS: message.ts, selectedOption: option, selectedUser: selectedUser)
        try await host.settleJobs()
        return answer
    }
}
