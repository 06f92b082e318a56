import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Point 4: the durable call — a restart, a lost answer, Linear's errors with HTTP 200 and 400,
/// RATELIMITED — and the key never logged.
@Suite struct ReliabilityTests {
    @Test func aRestartBetweenTheResolveAndTheCallStillCreatesExactlyOneIssue() async throws {
        try await LinearHarness.run { host, fake in
            let channel = try await LinearHarness.incident(host)
            // Linear is down when the call first runs; the request was committed with the resolve.
            fake.service.inject(.status(503), count: 1_000)
            try await LinearHarness.resolve(host, channel)
            #expect(fake.creates == 0)
            #expect(!fake.createRequests.isEmpty, "the call was tried before the restart")
            try await host.restart()
            fake.service.clearFaults()
            try await host.advance(by: .seconds(3_600))
            try await host.waitUntil("the issue") { fake.creates == 1 }
            try await host.advance(by: .seconds(3_600))
            #expect(fake.creates == 1)
            // Every attempt carried the one id chosen before the first.
            #expect(Set(LinearHarness.inputs(fake).compactMap { $0["id"]?.string }).count == 1)
            #expect(LinearHarness.texts(host, in: channel).filter { $0.contains("Postmortem issue created") }.count == 1)
        }
    }

    @Test func aCreateWhoseAnswerWasLostIsAdoptedNotRepeated() async throws {
        try await LinearHarness.run { host, fake in
            let channel = try await LinearHarness.incident(host)
            // Linear creates the issue but answers after the client gave up.
            fake.service.inject(.latency(.seconds(6)), count: 1) { String(decoding: $0.body, as: UTF8.self).contains("issueCreate") }
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the message", timeout: .seconds(20)) {
                LinearHarness.texts(host, in: channel).contains { $0.contains("Postmortem issue created in Linear") }
            }
            try await host.settleJobs(timeout: .seconds(15))
            #expect(fake.creates == 1)
            #expect(LinearHarness.texts(host, in: channel).contains { $0.contains("ENG-1") })
        }
    }

    @Test func aUserErrorWithHTTP200IsReportedOnceAndNotRetried() async throws {
        // A well-formed UUID of a team this workspace does not have: Linear answers 200 with errors.
        let missingTeam = "00000000-0000-4000-8000-00000000beef"
        try await LinearHarness.run(environment: LinearHarness.environment(teamID: missingTeam)) { host, fake in
            let channel = try await LinearHarness.incident(host)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the failure notice") {
                LinearHarness.texts(host, in: channel).contains { $0.contains("could not create the postmortem issue in Linear") }
            }
            try await host.advance(by: .seconds(7_200))
            let notices = LinearHarness.texts(host, in: channel).filter { $0.contains("could not create the postmortem issue") }
            #expect(notices.count == 1)
            #expect(notices.first?.contains("invalid input: Entity not found: Team") == true, "\(notices)")
            #expect(notices.first?.contains("team_id") == true, "says what to fix")
            #expect(fake.createRequests.count == 1, "not retried")
            #expect(fake.creates == 0)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("Entity not found: Team") == true)
        }
    }

    @Test func anAuthenticationErrorWithHTTP400IsReportedOnceAndTheKeyIsNeverLogged() async throws {
        let logs = CapturedLogs()
        let wrongKey = "lin_api_WrongKeyThatLinearDoesNotKnow0000099"
        try await LinearHarness.run(environment: LinearHarness.environment(apiKey: wrongKey), logs: logs) { host, fake in
            let channel = try await LinearHarness.incident(host)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the failure notice") {
                LinearHarness.texts(host, in: channel).contains { $0.contains("did not accept the API key") }
            }
            try await host.advance(by: .seconds(7_200))
            #expect(fake.service.received.count == 1, "not retried")
            #expect(fake.service.received.first?.headers["authorization"] == wrongKey)
            #expect(LinearHarness.texts(host, in: channel).filter { $0.contains("did not accept the API key") }.count == 1)
            #expect(!logs.lines.isEmpty)
            #expect(!logs.all.contains(wrongKey))
            #expect(!LinearHarness.texts(host, in: channel).contains { $0.contains(wrongKey) })
            #expect(!(try await host.app.database.auditEntries()).contains { $0.details.encoded().contains(wrongKey) })
        }
    }

    @Test func ratelimitedWaitsForTheResetTheHeadersGiveThenCreatesTheIssue() async throws {
        try await LinearHarness.run { host, fake in
            let channel = try await LinearHarness.incident(host)
            fake.exhaustBudget(for: 120)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the refusal") { fake.createRequests.count == 1 }
            try await host.settleJobs()
            #expect(fake.creates == 0)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("rate-limited by Linear") == true, "\(status?.allText ?? "")")

            // Nothing is sent before the reset…
            try await host.advance(by: .seconds(90))
            #expect(fake.createRequests.count == 1)
            // …and the issue right after it.
            try await host.advance(by: .seconds(31))
            try await host.waitUntil("the issue") { fake.creates == 1 }
            #expect(fake.createRequests.count == 2)
            #expect(!LinearHarness.texts(host, in: channel).contains { $0.contains("could not create") })
        }
    }
}
