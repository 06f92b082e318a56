import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import Testing

/// The integration kit end to end, through the README's example plugin, the Slack simulator and a
/// fake receiver: outbox scheduling, retries through an outage, restarts, the failure notice and
/// its Retry button.
@Suite struct EscalationWebhookTests {
    static let config = """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
          escalation_webhook:
            enabled: auto
            config:
              url: ${ESCALATION_WEBHOOK_URL:-}
        """

    static func run(_ body: @Sendable (TestHost, FakeWebhookReceiver) async throws -> Void) async throws {
        let receiver = FakeWebhookReceiver()
        try await TestHost.withRunning(plugins: [CasesPlugin.self, EscalationWebhook.self], config: config, fakes: [receiver]) { host in
            try await body(host, receiver)
        }
    }

    static func escalate(_ host: TestHost) async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        _ = try await host.slash("open Disk full on db-1", as: "alice", in: "general")
        let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }?.id)
        _ = try await host.slash("incident", as: "alice", in: channel)
        return channel
    }

    static func notices(_ host: TestHost, _ channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel).filter { $0.text.contains("could not post the escalation to the webhook") }
    }

    @Test func theAckNeverWaitsAndTheCallHappensOnceAfterTheCommit() async throws {
        try await Self.run { host, receiver in
            // The receiver answers after 3 s (within the call's 5 s timeout, so it is called once).
            receiver.service.inject(.latency(.seconds(3)))
            let started = ContinuousClock.now
            let channel = try await Self.escalate(host)
            // The escalation's reply came back before the slow receiver could have answered.
            #expect(ContinuousClock.now - started < .seconds(3) || receiver.posts.isEmpty)
            try await host.waitUntil("the post") { !receiver.posts.isEmpty }
            try await host.settleJobs()
            #expect(receiver.posts.count == 1)
            #expect(receiver.posts.first?["text"]?.string?.hasPrefix("Disk full on db-1 is now an incident") == true)
            #expect(Self.notices(host, channel).isEmpty)
        }
    }

    @Test func aRateLimitWithRetryAfterThenSuccessHasOneEffect() async throws {
        try await Self.run { host, receiver in
            receiver.service.inject(.tooManyRequests(retryAfter: "1"))
            _ = try await Self.escalate(host)
            try await host.waitUntil("the post after the 429") { !receiver.posts.isEmpty }
            try await host.settleJobs()
            #expect(receiver.service.received("POST", "/hook").count == 2)
            #expect(receiver.posts.count == 1)
        }
    }

    @Test func anOutageLongerThanTheOldFourMinuteBudgetIsOutlasted() async throws {
        try await Self.run { host, receiver in
            // Down for the first 40 minutes of (test) time.
            let outageEnds = host.clock.now().addingTimeInterval(40 * 60)
            let clock = host.clock
            receiver.service.inject(.status(503), count: 10_000) { _ in clock.now() < outageEnds }
            let channel = try await Self.escalate(host)
            try await host.settleJobs()
            // Jump from each retry to the next, as time would pass.
            for _ in 0..<30 {
                guard let next = try await host.app.database.listJobs(states: ["pending"]).map(\.runAt).min() else { break }
                try await host.advance(by: .milliseconds(max(1, Int64(next.timeIntervalSince(host.clock.now()) * 1000) + 1)))
            }
            try await host.settleJobs()
            #expect(receiver.posts.count == 1)
            let failedAttempts = receiver.service.received("POST", "/hook").count - 1
            #expect(failedAttempts > 8 * 3, "only \(failedAttempts) failed requests: the outage was not long enough to prove anything")
            #expect(Self.notices(host, channel).isEmpty)
            #expect(try await host.app.database.listJobs(states: ["dead"]).isEmpty)
        }
    }

    @Test func aRestartBetweenTheChangeAndTheCallStillCallsOnce() async throws {
        try await Self.run { host, receiver in
            receiver.service.inject(.connectionReset, count: 3)
            _ = try await Self.escalate(host)
            try await host.waitUntil("the attempts") { receiver.service.received.count >= 3 }
            try await host.settleJobs()
            try await host.restart()
            try await host.advance(by: .seconds(60))
            try await host.waitUntil("the post after the restart") { !receiver.posts.isEmpty }
            try await host.advance(by: .seconds(3600))
            #expect(receiver.posts.count == 1)
        }
    }

    @Test func aPermanentErrorIsReportedOnceAndTheRetryButtonRequeuesIt() async throws {
        try await Self.run { host, receiver in
            receiver.service.inject(.status(400, body: ["error": "text is required"]))
            let channel = try await Self.escalate(host)
            try await host.waitUntil("the failure notice") { !Self.notices(host, channel).isEmpty }
            try await host.settleJobs()
            try await host.advance(by: .seconds(6 * 3600))
            #expect(Self.notices(host, channel).count == 1)
            #expect(receiver.service.received("POST", "/hook").count == 1)
            let notice = try #require(Self.notices(host, channel).first)
            let text = SlackReply(text: notice.text, blocks: notice.blocks).allText
            #expect(text.contains("HTTP 400: text is required"))
            #expect(text.contains("check `plugins.escalation_webhook.config.url`"))
            let dead = try #require(try await host.app.database.listJobs(states: ["dead"]).first)
            #expect(dead.plugin == "escalation_webhook")

            // Built before the first click, so the second is a click on the same (now stale) button.
            let click = try host.simulator.blockAction(
                user: "bob", in: .message(channel: channel, ts: notice.ts), actionID: "escalation_webhook.retry_call", value: String(dead.id))
            try await host.deliver(click)
            try await host.waitUntil("the retried post") { !receiver.posts.isEmpty }
            try await host.settleJobs()
            #expect(receiver.posts.count == 1)
            // The notice is replaced (through the click's response_url, after the ack).
            try await host.waitUntil("the notice is replaced") {
                host.simulator.messages(in: channel).contains { $0.text.contains("<@U0BOB> asked to try again") }
            }
            #expect(Self.notices(host, channel).isEmpty)
            // A second click on a stale button changes nothing.
            try await host.deliver(click)
            let url = try #require(click["response_url"]?.string)
            try await host.waitUntil("the answer to the stale click") { host.simulator.replies(to: url).count == 2 }
            #expect(host.simulator.replies(to: url).last?["text"]?.string?.contains("not waiting for a retry") == true)
            #expect(receiver.service.received("POST", "/hook").count == 2)
            let timeline = try await host.app.database.auditEntries().map(\.action)
            #expect(timeline.contains("escalation_webhook.call_failed"))
            #expect(timeline.contains("escalation_webhook.call_retried"))
            #expect(timeline.contains("escalation_webhook.posted"))
        }
    }

    @Test func theReadmeShowsTheExampleVerbatim() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (marker, file) in [("integration-plugin", "EscalationWebhook.swift"), ("integration-fake", "FakeWebhookReceiver.swift")] {
            let source = try String(contentsOf: root.appendingPathComponent("Tests/IntegrationKitTests/\(file)"), encoding: .utf8)
            let start = try #require(readme.range(of: "<!-- \(marker):start -->\n```swift\n"))
            let end = try #require(readme.range(of: "```\n<!-- \(marker):end -->"))
            #expect(String(readme[start.upperBound..<end.lowerBound]) == source)
        }
    }
}
