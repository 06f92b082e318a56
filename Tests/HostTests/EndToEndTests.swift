import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Synchronization
import Testing

/// The host driven through the Slack simulator over the real wire protocol.
@Suite("End to end through the simulator")
struct EndToEndTests {
    static let config = """
        host:
          rate_limit: { per_user: 5, per: 60s }
        plugins:
          probe:
            enabled: true
            config:
              channel: C0INCIDENTS
              slow_milliseconds: 2500
        """

    static func run(
        transport: HostEnvironment.Transport = .socketMode, config: String = config, ackBudget: Duration? = nil,
        _ body: @Sendable (TestHost) async throws -> Void
    ) async throws {
        try await TestHost.withRunning(plugins: [ProbePlugin.self], config: config, transport: transport, ackBudget: ackBudget, body)
    }

    @Test("a slash command round trip in Socket Mode", arguments: [HostEnvironment.Transport.socketMode, .http])
    func slashRoundTrip(transport: HostEnvironment.Transport) async throws {
        try await Self.run(transport: transport) { host in
            let reply = try await host.slash("echo hello there", as: "alice", in: "general")
            #expect(reply?.text == "echo: hello there")
            #expect(reply?.responseType == "ephemeral")
            // Slack shows the immediate reply to the user.
            #expect(host.simulator.ephemeralMessages(for: "alice", in: "general").last?.text == "echo: hello there")
        }
    }

    @Test func helpListsEverySubcommandAndUnknownOnesAnswerWithIt() async throws {
        try await Self.run { host in
            let help = try #require(try await host.slash("help", as: "bob", in: "general"))
            for subcommand in ["echo <text>", "shout <text>", "slow", "boom", "form", "help"] {
                #expect(help.text.contains("/case \(subcommand)"), "help misses \(subcommand)")
            }
            let unknown = try #require(try await host.slash("frobnicate now", as: "bob", in: "general"))
            #expect(unknown.text.hasPrefix("Unknown subcommand `frobnicate`"))
            #expect(unknown.text.contains("/case echo <text>"))
        }
    }

    @Test func aSlowHandlerIsAckedInTimeAndAnswersThroughResponseURL() async throws {
        // The budget `serve` uses: `slow` takes 2.5 s, longer than it.
        try await Self.run(ackBudget: .milliseconds(2000)) { host in
            let payload = try host.simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "slow")
            let ack = try await host.simulator.deliver(payload)
            #expect(ack.acked)
            #expect(ack.payload == nil)
            try await host.waitUntil("the late reply") {
                host.simulator.ephemeralMessages(for: "alice", in: "general").contains { $0.text == "slow answer" }
            }
        }
    }

    @Test func aFailingHandlerShowsACorrelationIDNotAStackTrace() async throws {
        try await Self.run { host in
            let reply = try #require(try await host.slash("boom", as: "alice", in: "general"))
            #expect(reply.text.contains("Something went wrong"))
            #expect(reply.text.contains("ref `"))
            #expect(!reply.text.contains("Boom"))
        }
    }

    @Test func aReplyBeyondBlockKitLimitsIsAnErrorWithARefNotAMessageSlackWouldRefuse() async throws {
        try await Self.run { host in
            let reply = try #require(try await host.slash("sprawl", as: "alice", in: "general"))
            #expect(reply.text.contains("ref `"))
            #expect(reply.blocks.isEmpty)
        }
    }

    @Test func aCallOutsideTheDeclaredScopesIsRefusedBeforeSlack() async throws {
        try await Self.run { host in
            let reply = try #require(try await host.slash("sneak", as: "alice", in: "general"))
            #expect(reply.text.contains("ref `"))
            #expect(host.simulator.calls(to: "conversations.create").isEmpty)
        }
    }

    @Test func externalUsersAreRefusedAndGuestsOnlyWhenConfigured() async throws {
        try await Self.run { host in
            let external = try #require(try await host.slash("echo hi", as: "erin", in: "general"))
            #expect(external.text == "Casebook is only available to members of this workspace.")
            let guest = try #require(try await host.slash("echo hi", as: "dave", in: "general"))
            #expect(guest.text == "echo: hi")
        }
        let strict = Self.config.replacingOccurrences(of: "host:\n", with: "host:\n  guests: refuse\n")
        try await Self.run(config: strict) { host in
            let guest = try #require(try await host.slash("echo hi", as: "dave", in: "general"))
            #expect(guest.text.hasPrefix("Guests can't use Casebook"))
        }
    }

    @Test func theWorkspaceAllowlistRefusesOtherWorkspaces() async throws {
        let config = Self.config.replacingOccurrences(of: "host:\n", with: "host:\n  allowed_workspaces: [T0SOMEONEELSE]\n")
        try await Self.run(config: config) { host in
            let reply = try #require(try await host.slash("echo hi", as: "alice", in: "general"))
            #expect(reply.text == "Casebook is not enabled for this workspace.")
        }
    }

    @Test func thePerUserRateLimitAnswersPolitely() async throws {
        try await Self.run { host in
            for index in 1...5 {
                let reply = try await host.slash("echo \(index)", as: "bob", in: "general")
                #expect(reply?.text == "echo: \(index)")
            }
            let limited = try #require(try await host.slash("echo 6", as: "bob", in: "general"))
            #expect(limited.text.hasPrefix("You're going a bit fast"))
            // Another user is not affected.
            #expect(try await host.slash("echo 1", as: "carol", in: "general")?.text == "echo: 1")
        }
    }

    @Test func aBurstOfMessagesToOneChannelIsPacedNotRefused() async throws {
        try await Self.run { host in
            host.simulator.enforceRateTiers(true)
            // Eight posts to one channel at once: Slack takes a burst of six, then one a second.
            try await withThrowingTaskGroup(of: SlackReply?.self) { group in
                for (index, user) in ["alice", "bob", "carol", "alice", "bob", "carol", "alice", "bob"].enumerated() {
                    group.addTask { try await host.slash("shout burst \(index)", as: user, in: "general") }
                }
                for try await reply in group { #expect(reply?.text.hasPrefix("posted ") == true, "\(reply?.text ?? "no reply")") }
            }
            let posts = host.simulator.calls(to: "chat.postMessage")
            #expect(posts.count == 8)
            #expect(posts.allSatisfy { $0.outcome == .ok }, "\(posts.map(\.outcome))")
        }
    }

    @Test func aRateLimitedWebAPICallIsRetriedAfterRetryAfter() async throws {
        try await Self.run { host in
            host.simulator.rateLimit("chat.postMessage", next: 1, retryAfter: 1)
            let reply = try #require(try await host.slash("shout deploys paused", as: "alice", in: "incidents"))
            #expect(reply.text.hasPrefix("posted "))
            let attempts = host.simulator.calls(to: "chat.postMessage")
            #expect(attempts.count == 2)
            #expect(attempts.first?.isOK == false)
            #expect(attempts.last?.isOK == true)
            #expect(host.simulator.messages(in: "incidents").filter { $0.text == "deploys paused" }.count == 1)
        }
    }

    @Test func buttonsAndModalsWorkThroughTheHost() async throws {
        try await Self.run { host in
            _ = try await host.slash("shout release 42", as: "alice", in: "incidents")
            let posted = try #require(host.simulator.messages(in: "incidents").first { $0.text == "release 42" })
            try await host.click("probe.ack", as: "bob", channel: "incidents", messageTS: posted.ts, value: "release 42")
            try await host.waitUntil("the message is replaced") {
                host.simulator.message(in: "incidents", ts: posted.ts)?.text == "acked release 42 by <@U0BOB>"
            }

            _ = try await host.slash("form", as: "carol", in: "general")
            try await host.waitUntil("the modal opens") { host.simulator.topView(for: "carol") != nil }
            let rejected = try await host.submitTopView(as: "carol", values: ["word": ["word": "ab"]])
            #expect(rejected?["response_action"]?.string == "errors")
            #expect(rejected?["errors"]?["word"]?.string == "At least 3 letters, please.")
            #expect(host.simulator.topView(for: "carol") != nil)
            let accepted = try await host.submitTopView(as: "carol", values: ["word": ["word": "abc"]])
            #expect(accepted == nil)
            #expect(host.simulator.topView(for: "carol") == nil)
            try await host.waitUntil("the form is posted") {
                host.simulator.messages(in: "incidents").contains { $0.text == "form: abc" }
            }
        }
    }

    @Test func aRedeliveredEventIsHandledOnce() async throws {
        try await Self.run { host in
            let event = try host.simulator.memberJoinedChannel(user: "U0DAVE", channel: "C0INCIDENTS")
            let eventID = try #require(event["event_id"]?.string)
            #expect(try await host.simulator.deliver(event).acked)
            #expect(try await host.simulator.redeliver(event, attempt: 1).acked)
            try await host.waitUntil("the event is handled") { ProbePlugin.seenEvents.withLock { $0[eventID] } != nil }
            try await Task.sleep(for: .milliseconds(50))
            #expect(ProbePlugin.seenEvents.withLock { $0[eventID] } == 1)
        }
    }

    @Test(arguments: [DisconnectReason.refreshRequested, .warning])
    func reconnectsWithoutLosingAnEnvelope(reason: DisconnectReason) async throws {
        try await Self.run { host in
            let open = host.simulator.openSocketCount
            let accepted = host.simulator.acceptedSocketCount
            #expect(open == 2, "host.sockets defaults to 2")
            try await host.simulator.sendDisconnect(reason, to: host.simulator.openSockets.first)
            // Slack may still deliver on the old socket until it closes; every delivery is acked.
            for index in 1...3 {
                let reply = try await host.slash("echo \(index)", as: "alice", in: "general")
                #expect(reply?.text == "echo: \(index)")
            }
            try await host.waitUntil("a fresh socket replaced the old one") {
                host.simulator.acceptedSocketCount == accepted + 1 && host.simulator.openSocketCount == open
            }
            #expect(try await host.slash("echo after", as: "alice", in: "general")?.text == "echo: after")
            let acks = host.simulator.acks
            #expect(acks.allSatisfy { $0.acked })
        }
    }

    @Test func badSignaturesAndStaleTimestampsAreRejectedWithNothingDispatched() async throws {
        try await Self.run(transport: .http) { host in
            let port = try #require(host.httpPort)
            let url = "http://127.0.0.1:\(port)/slack/events"
            let payload = try host.simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "shout forged")
            let tampered = try await host.simulator.postSigned(to: url, .slashCommands, payload: payload, tamper: true)
            #expect(tampered.status == 401)
            let wrongSecret = try await host.simulator.postSigned(to: url, .slashCommands, payload: payload, secret: "not-the-secret")
            #expect(wrongSecret.status == 401)
            let stale = try await host.simulator.postSigned(
                to: url, .slashCommands, payload: payload, timestamp: Date().addingTimeInterval(-301))
            #expect(stale.status == 401)
            #expect(host.simulator.calls(to: "chat.postMessage").isEmpty)
            #expect(!host.simulator.messages(in: "incidents").contains { $0.text == "forged" })
        }
    }
}
