import CasebookTesting
import Testing
@testable import StatuspagePlugin

/// Point 6: durable, idempotent publishing; rate limits; failures people can act on; no key in logs.
@Suite struct ReliabilityTests {
    @Test func aRestartBetweenApprovalAndPublicationStillPublishesOnce() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            // Statuspage is down when the call first runs; the approval is committed with it.
            fake.service.inject(.status(503), count: 3) { $0.method == "GET" }
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            #expect(fake.incidents.isEmpty)
            try await host.restart()
            try await host.advance(by: .seconds(3_600))
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            try await host.advance(by: .seconds(3_600))
            #expect(fake.creates == 1)
            #expect(StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("Published to the status page"))
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsAdoptedNotRepeated() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel, body: "Payments fail.")
            // Statuspage creates the incident but answers after the client gave up (ambiguous).
            fake.service.inject(.latency(.seconds(6)), count: 1) { $0.method == "POST" }
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the create behind the timeout", timeout: .seconds(15)) { fake.incidents.count == 1 }
            try await host.settleJobs(timeout: .seconds(15))
            try await host.restart()
            try await host.advance(by: .seconds(3_600))
            try await host.waitUntil("the publication") {
                StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("Published to the status page")
            }
            #expect(fake.creates == 1)
            #expect(fake.incidents.first?.updates.count == 1, "adopted as it was, no second update")
            #expect(fake.service.received("POST", "/pages/\(FakeStatuspage.seededPageID)/incidents").count == 1)
        }
    }

    @Test func aRateLimitedCreateWaitsForRetryAfterThenSucceeds() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            fake.rateLimit = .strict
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            let posts = fake.service.received("POST", "/pages/\(FakeStatuspage.seededPageID)/incidents")
            #expect(posts.count == 2, "the first was refused with 429")
            if posts.count == 2 { #expect(posts[1].receivedAt.timeIntervalSince(posts[0].receivedAt) >= 0.9, "Retry-After was honoured") }
            #expect(fake.creates == 1)
        }
    }

    @Test(arguments: [
        (401, JSONValue.object(["error": "Could not authenticate"]), "Could not authenticate"),
        (404, JSONValue.object(["error": "The page could not be found"]), "The page could not be found"),
        (422, JSONValue.object(["error": ["Name can't be blank", "Body is too long"]]), "Name can't be blank; Body is too long"),
    ])
    func aRefusalIsReportedWithStatuspagesWordsAndTheDraftStaysApprovable(status: Int, body: JSONValue, words: String) async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            fake.service.inject(.status(status, body: body), count: 1) { $0.method == "POST" }
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the failure notice") {
                host.simulator.messages(in: channel).contains { $0.text.contains("Statuspage: could not publish") && $0.text.contains(words) }
            }
            let failed = try StatuspageHarness.current(host, draft)
            #expect(StatuspageHarness.text(failed).contains("publishing failed") && StatuspageHarness.text(failed).contains(words))
            #expect(StatuspageHarness.actionIDs(failed).contains("statuspage.approve"))
            #expect(fake.incidents.isEmpty)
            #expect(try await StatuspageHarness.statuspageAudit(host).contains("statuspage.call_failed"))

            // Fixed: approving again publishes it, once.
            try await StatuspageHarness.click(host, failed, "statuspage.approve", as: "alice")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            try await host.settleJobs()
            #expect(fake.creates == 1)
            #expect(StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("Published to the status page"))
        }
    }

    @Test func theAPIKeyNeverReachesTheLogsOrTheChannel() async throws {
        let logs = CapturedLogs()
        let wrongKey = "csbk-wrong-statuspage-key-9999"
        try await StatuspageHarness.run(environment: StatuspageHarness.environment(apiKey: wrongKey), logs: logs) { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the failure notice") {
                host.simulator.messages(in: channel).contains { $0.text.contains("Could not authenticate") }
            }
            #expect(fake.service.received.contains { $0.headers["authorization"] == "OAuth \(wrongKey)" })
            #expect(!logs.lines.isEmpty)
            #expect(!logs.all.contains(wrongKey))
            #expect(!host.simulator.messages(in: channel).contains { StatuspageHarness.text($0).contains(wrongKey) })
            let audit = try await host.app.database.auditEntries()
            #expect(!audit.contains { $0.details.encoded().contains(wrongKey) })
        }
    }
}
