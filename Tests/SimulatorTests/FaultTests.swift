import CasebookKit
import SlackSimulator
import Testing

@Suite struct FaultTests {
    @Test func rateLimitedCallsAnswer429WithRetryAfter() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.rateLimit("chat.postMessage", next: 2, retryAfter: 7)
            for _ in 0..<2 {
                let limited = try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x"])
                #expect(limited.status == 429)
                #expect(limited.headers["retry-after"] == "7")
                #expect(limited.error == "ratelimited")
            }
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x"]).ok)
            #expect(sim.calls(to: "chat.postMessage").map(\.outcome) == [.error("ratelimited"), .error("ratelimited"), .ok])
        }
    }

    @Test func serverErrorsAndTiers() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.failWithServerError("auth.test", next: 1, status: 503)
            #expect(try await Client.form(sim, "auth.test").status == 503)
            #expect(try await Client.form(sim, "auth.test").ok)
            sim.enforceRateTiers(true)
            // apps.connections.open is Tier 3 in the catalogue: 50 a minute.
            var statuses: [Int] = []
            for _ in 0..<51 { statuses.append(try await Client.form(sim, "apps.connections.open", token: "app").status) }
            #expect(statuses.filter { $0 == 429 }.count == 1)
            #expect(statuses.last == 429)
        }
    }

    @Test func messagesArePacedPerChannelAfterABurst() async throws {
        let clock = TestClock()
        try await SlackSimulator.withRunning(clock: clock) { sim in
            sim.enforceRateTiers(true)
            var statuses: [Int] = []
            for _ in 0..<7 { statuses.append(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x"]).status) }
            #expect(statuses == [200, 200, 200, 200, 200, 200, 429])
            let limited = try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x"])
            #expect(limited.headers["retry-after"] == "1")
            #expect(limited.error == "ratelimited")
            // Another channel has its own pace.
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0GENERAL", "text": "x"]).ok)
            clock.advance(1.1)
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x"]).ok)
        }
    }

    @Test func latencyLetsCallsOverlap() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.setLatency(.milliseconds(200), for: "users.info")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in ["U0ALICE", "U0BOB", "U0CAROL"] {
                    group.addTask { _ = try await Client.form(sim, "users.info", ["user": user]) }
                }
                try await group.waitForAll()
            }
            #expect(sim.calls(to: "users.info").count == 3)
            #expect(sim.calls.maximumConcurrency(of: "users.info") >= 2)
        }
    }

    @Test func gatheredCallsAreAnsweredTogetherOnceAllAreInFlight() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.gatherCalls(to: ["users.info"], count: 3)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for user in ["U0ALICE", "U0BOB", "U0CAROL"] {
                    group.addTask { _ = try await Client.form(sim, "users.info", ["user": user]) }
                }
                try await group.waitForAll()
            }
            #expect(ContinuousClock.now - started < .seconds(10), "released by the gathering, not by the timeout")
            #expect(sim.calls.maximumConcurrency(of: "users.info") == 3)
            // Once gathered, later calls are not held.
            #expect(try await Client.form(sim, "users.info", ["user": "U0ALICE"]).ok)
        }
    }

    @Test func callsMadeOneAfterAnotherNeverGatherAndAreLetGoAfterTheTimeout() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.gatherCalls(to: ["users.info"], count: 2, timeout: .milliseconds(100))
            for user in ["U0ALICE", "U0BOB"] {
                let started = ContinuousClock.now
                let answer = try await Client.form(sim, "users.info", ["user": user])
                #expect(answer.ok)
                #expect(ContinuousClock.now - started >= .milliseconds(100))
            }
            #expect(sim.calls.maximumConcurrency(of: "users.info") == 1)
            // Other methods are never held.
            let other = try await Client.form(sim, "auth.test")
            #expect(other.ok)
        }
    }
}
