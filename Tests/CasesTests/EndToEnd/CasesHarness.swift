import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// Shared set-up of the end-to-end tests: the real host with the Cases plugin against the simulator's
/// seeded workspace (alice, bob, carol; dave a guest; erin external; #general, #incidents, #alerts).
enum CasesHarness {
    static func config(extra: String = "") -> String {
        """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
              response_group: S0RESPONDERS
              export_authorized_users: U0ALICE, U0BOB
        \(extra)
        """
    }

    static func run<T: Sendable>(
        _ mode: TestHost.Mode = .inProcess, config: String = CasesHarness.config(), workspace: Workspace = .seeded(),
        database: TestDatabase.Backend = .sqlite,
        _ body: @Sendable (TestHost) async throws -> T
    ) async throws -> T {
        try await TestHost.withRunning(mode, plugins: [CasesPlugin.self], config: config, workspace: workspace, database: database, body)
    }

    /// Opens a case as `user` and returns its channel.
    static func open(_ host: TestHost, _ description: String, as user: String = "alice", in channel: String = "general") async throws -> Conversation {
        let before = Set(host.simulator.conversations.map(\.id))
        let reply = try await host.slash("open \(description)", as: user, in: channel)
        let created = host.simulator.conversations.filter { !before.contains($0.id) && $0.name.hasPrefix("case-") }
        let conversation = try #require(created.first, "no case channel was created; reply: \(reply?.text ?? "none")")
        return conversation
    }

    static func messages(_ host: TestHost, in channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel)
    }

    /// Every text of a message, blocks included.
    static func text(_ message: StoredMessage) -> String {
        SlackReply(text: message.text, blocks: message.blocks).allText
    }

    static func auditActions(_ host: TestHost) async throws -> [String] {
        try await host.app.database.auditEntries().filter { $0.plugin == CasesPlugin.id }.map(\.action)
    }
}
