import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// Update reminders on the test clock: first after 30 minutes without an update, then every 25.
@Suite struct ReminderTests {
    static let minute = 60

    static func advance(_ host: TestHost, minutes: Int) async throws {
        try await host.advance(by: .seconds(minutes * minute))
    }

    @Test func firstAfterThirtyMinutesThenEveryTwentyFive() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host, commander: "bob")
            try await host.slash("severity sev1", as: "alice", in: channel)
            try await Self.advance(host, minutes: 29)
            #expect(RolesHarness.reminders(host, in: channel).isEmpty)
            try await Self.advance(host, minutes: 1)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
            let first = try #require(RolesHarness.reminders(host, in: channel).first?.text)
            #expect(first.contains("<@U0BOB>") && first.contains("SEV1") && first.contains("30m"))
            try await Self.advance(host, minutes: 24)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
            try await Self.advance(host, minutes: 1)
            #expect(RolesHarness.reminders(host, in: channel).count == 2)
            try await Self.advance(host, minutes: 25)
            #expect(RolesHarness.reminders(host, in: channel).count == 3)

            // `/case reminders` shows the next one; a single pending job.
            let shown = try #require(try await host.slash("reminders", as: "carol", in: channel)).text
            #expect(shown.contains("in 25m") && shown.contains("every 25m"))
            let caseID = try await RolesHarness.caseID(host, channel: channel)
            let pending = try await host.app.database.listJobs(states: ["pending"]).filter { $0.dedupeKey == "remind:\(caseID)" }
            #expect(pending.count == 1)

            // An update resets the clock: the next one is 30 minutes after it.
            try await Self.advance(host, minutes: 10)
            try await UpdateAndDigestTests.postUpdate(host, channel, as: "bob", impact: "Checkout down", text: "Failing over.")
            try await Self.advance(host, minutes: 29)
            #expect(RolesHarness.reminders(host, in: channel).count == 3)
            try await Self.advance(host, minutes: 1)
            #expect(RolesHarness.reminders(host, in: channel).count == 4)
        }
    }

    @Test func lowerSeverityStopsThemAndRaisingStartsThem() async throws {
        try await RolesHarness.run(config: RolesHarness.config(roles: "default_severity: sev2")) { host in
            let channel = try await RolesHarness.incident(host)
            try await Self.advance(host, minutes: 30)
            #expect(RolesHarness.reminders(host, in: channel).count == 1, "escalated at sev2, which is in remind_severities")
            try await RolesHarness.clickPanel(host, channel, ActionID.severity.wire, as: "alice", option: "sev3")
            #expect(RolesHarness.allText(host, in: channel).contains("Update reminders are off"))
            try await Self.advance(host, minutes: 120)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
            let none = try #require(try await host.slash("reminders", as: "alice", in: channel)).text
            #expect(none.contains("None: reminders run at SEV1, SEV2"))
            try await host.slash("severity sev1", as: "alice", in: channel)
            try await Self.advance(host, minutes: 30)
            #expect(RolesHarness.reminders(host, in: channel).count == 2)
        }
    }

    @Test func silencePausesThemAndResolveStopsThem() async throws {
        try await RolesHarness.run(config: RolesHarness.config(roles: "default_severity: sev1")) { host in
            let channel = try await RolesHarness.incident(host, commander: "alice")
            let notInChannel = try await host.slash("silence", as: "bob", in: channel)
            #expect(notInChannel?.text.contains("Only members of") == true)
            try await host.join("bob", channel)
            let notCommander = try await host.slash("silence", as: "bob", in: channel)
            #expect(notCommander?.text.contains("Only the incident commander") == true)
            let bad = try await host.slash("silence soon", as: "alice", in: channel)
            #expect(bad?.text.contains("not a duration") == true)

            // For a duration: nothing during it, then the cadence resumes.
            try await host.slash("silence 1h", as: "alice", in: channel)
            try await Self.advance(host, minutes: 59)
            #expect(RolesHarness.reminders(host, in: channel).isEmpty)
            try await Self.advance(host, minutes: 1)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)

            // Without a duration: until the severity changes.
            try await host.slash("silence", as: "alice", in: channel)
            let shown = try #require(try await host.slash("reminders", as: "alice", in: channel)).text
            #expect(shown.contains("Silenced until the severity changes"))
            try await Self.advance(host, minutes: 180)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
            try await host.slash("severity sev2", as: "alice", in: channel)
            try await Self.advance(host, minutes: 30)
            #expect(RolesHarness.reminders(host, in: channel).count == 2)

            try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()
            try await Self.advance(host, minutes: 180)
            #expect(RolesHarness.reminders(host, in: channel).count == 2)
            let caseID = try await RolesHarness.caseID(host, channel: channel)
            #expect(try await host.app.database.listJobs(states: ["pending"]).filter { $0.dedupeKey == "remind:\(caseID)" }.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theyAreDurableAcrossARestartWithoutDuplicates(_ backend: TestDatabase.Backend) async throws {
        // Live: the restart closes the database and opens it again, as a new process would.
        try await RolesHarness.run(.live, config: RolesHarness.config(roles: "default_severity: sev1"), database: backend) { host in
            let channel = try await RolesHarness.incident(host)
            try await Self.advance(host, minutes: 20)
            try await host.restart()
            try await Self.advance(host, minutes: 10)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
            try await host.restart()
            try await Self.advance(host, minutes: 25)
            #expect(RolesHarness.reminders(host, in: channel).count == 2)
            try await Self.advance(host, minutes: 25)
            #expect(RolesHarness.reminders(host, in: channel).count == 3)
            let caseID = try await RolesHarness.caseID(host, channel: channel)
            #expect(try await host.app.database.listJobs(states: ["pending"]).filter { $0.dedupeKey == "remind:\(caseID)" }.count == 1)
        }
    }
}
