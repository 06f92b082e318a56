import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import StatusProvidersPlugin

/// The real host with the Cases and status_providers plugins against the simulator's seeded
/// workspace and a seeded ``FakeStatusPages`` (github, cloudflare, auth0 on Statuspage; heroku;
/// slack) that `base_url_override` points every provider at.
enum StatusProvidersHarness {
    static let watchChannel = "C0ALERTS"
    static let providerNames = ["github", "cloudflare", "auth0", "heroku", "slack"]

    static func config(_ extra: String = "") -> String {
        """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
          status_providers:
            enabled: auto
            config:
              providers: ${INCIDENT_EXTERNAL_PROVIDERS_LIST:-}
              watch_channel: \(watchChannel)
        \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    /// The default `timeout` (5s): shorter ones time out healthy fakes when the whole suite runs
    /// in parallel on a small machine. A "slow" provider waits ``slow``, far beyond it.
    static let slow = Duration.seconds(20)

    static let environment = ["INCIDENT_EXTERNAL_PROVIDERS_LIST": providerNames.joined(separator: ", ")]

    /// Set `STATUS_PROVIDERS_TEST_LOG=1` to see the host's debug log.
    static func run<T: Sendable>(
        config: String = StatusProvidersHarness.config(), environment: [String: String] = StatusProvidersHarness.environment,
        _ body: @Sendable (TestHost, FakeStatusPages) async throws -> T
    ) async throws -> T {
        let fake = FakeStatusPages.seeded()
        let level: Logger.Level = ProcessInfo.processInfo.environment["STATUS_PROVIDERS_TEST_LOG"] != nil ? .trace : .warning
        return try await TestHost.withRunning(
            .inProcess, plugins: [CasesPlugin.self, StatusProvidersPlugin.self], config: config, environment: environment, logLevel: level, fakes: [fake]
        ) { host in try await body(host, fake) }
    }

    /// `/case vendors` outside a case channel: the ack, then the snapshot through the response URL.
    static func vendors(_ host: TestHost, in channel: String = "general") async throws -> (ack: String, snapshot: String) {
        let payload = try host.simulator.slashCommand(user: "bob", channel: channel, command: "/case", text: "vendors")
        let ack = try await host.deliver(payload)
        let url = try #require(payload["response_url"]?.string)
        // A loaded machine can miss the ack budget: the "Checking…" answer then also comes through
        // the response_url, before the snapshot.
        let snapshot: @Sendable () -> JSONValue? = {
            host.simulator.replies(to: url).last { ($0["text"]?.string ?? "").hasPrefix("Checking") == false }
        }
        try await host.waitUntil("the snapshot") { snapshot() != nil }
        let reply = try #require(snapshot())
        #expect(reply["response_type"]?.string == "ephemeral")
        return (ack?["text"]?.string ?? "", SlackReply(text: reply["text"]?.string ?? "", blocks: reply["blocks"]?.array ?? []).allText)
    }

    /// Opens a case as alice and returns its channel.
    static func open(_ host: TestHost, _ title: String = "Checkout errors") async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        try await host.slash("open \(title)", as: "alice", in: "general")
        return try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }).id
    }

    /// Opens and escalates a case; returns its channel once the jobs after the escalation ran.
    static func incident(_ host: TestHost, _ title: String = "Checkout errors") async throws -> String {
        let channel = try await open(host, title)
        try await host.slash("incident", as: "alice", in: channel)
        try await host.settleJobs()
        return channel
    }

    /// The plugin's snapshot messages in a channel (top level), oldest first.
    static func snapshots(_ host: TestHost, _ channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel).filter { message in
            message.blocks.contains { $0["block_id"]?.string == SnapshotMessage.headerBlock }
        }
    }

    /// Watch posts in a channel: messages saying a status changed.
    static func changes(_ host: TestHost, _ channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel).filter { $0.text.contains("status changed") }
    }

    static func text(_ message: StoredMessage) -> String {
        SlackReply(text: message.text, blocks: message.blocks).allText
    }

    /// One section's text for a provider, from a snapshot's rendered text.
    static func line(_ text: String, _ title: String) -> String {
        text.split(separator: "\n").first { $0.contains("|\(title)>*") }.map(String.init) ?? ""
    }
}
