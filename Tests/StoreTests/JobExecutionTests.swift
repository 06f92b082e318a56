import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// What integration calls need from the runner: the attempt number in the handler, a per-job
/// attempt budget, a permanent failure that is dead at once, and a plugin-scoped retry.
@Suite struct JobExecutionTests {
    @Test(arguments: TestDatabase.backends)
    func handlersSeeTheirAttemptAndAPermanentFailureIsDeadAtOnce(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            let clock = ManualClock()
            try await scratch.open(clock: clock) { db async throws in
                let seen = Recorder<JobExecution>()
                let handlers = JobHandlers(jobs: ["pagerduty": [
                    "flaky": { _ in
                        if let execution = JobExecution.current { seen.append(execution) }
                        throw Boom(message: "503")
                    },
                    "refused": { _ in throw PermanentJobFailure("PagerDuty: HTTP 400: Invalid routing key") },
                ]])
                let runner = JobRunner(database: db, handlers: handlers, clock: clock, workerID: "w1", logger: testLogger, backoffBase: .seconds(1))
                let refused = try await withRunner(runner) {
                    let jobs = db.jobs(plugin: "pagerduty")
                    let flaky = try await jobs.schedule(name: "flaky", payload: nil, at: clock.now(), dedupeKey: nil, maxAttempts: 3)
                    let refused = try await jobs.schedule(name: "refused", payload: nil, at: clock.now(), dedupeKey: nil, maxAttempts: 16)
                    try await eventually("the permanent failure is dead") {
                        try await db.listJobs(states: ["dead"]).contains { $0.id == refused }
                    }
                    let dead = try await db.listJobs(states: ["dead"]).first { $0.id == refused }
                    #expect(dead?.attempts == 1)
                    #expect(dead?.lastError?.contains("Invalid routing key") == true)

                    for attempt in 1...3 {
                        try await eventually("attempt \(attempt)") {
                            guard seen.count >= attempt else { return false }
                            return try await db.listJobs(states: ["running"]).isEmpty
                        }
                        clock.advance(by: .seconds(10))
                    }
                    try await eventually("the flaky job used its own budget of 3") {
                        try await db.listJobs(states: ["dead"]).contains { $0.id == flaky }
                    }
                    #expect(seen.all.map(\.attempt) == [1, 2, 3])
                    #expect(seen.all.map(\.isLastAttempt) == [false, false, true])
                    #expect(seen.all.allSatisfy { $0.jobID == flaky && $0.maxAttempts == 3 })
                    return refused
                }
                // With no runner to pick it up again: retry is scoped to the owning plugin, and once.
                #expect(try await db.jobs(plugin: "other").retry(jobID: refused) == false)
                #expect(try await db.jobs(plugin: "pagerduty").retry(jobID: refused))
                #expect(try await db.jobs(plugin: "pagerduty").retry(jobID: refused) == false)  // already pending again
                #expect(try await db.jobs(plugin: "pagerduty").jobs(states: ["pending"]).map(\.id) == [refused])
            }
        }
    }
}
