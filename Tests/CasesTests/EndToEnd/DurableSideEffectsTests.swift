import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// Issue 17, point 3: the Slack steps after a committed open, escalation or close are completed by
/// durable jobs, each step at most once, and a channel whose case was never recorded is archived.
/// (A `kill -9` between the commit and the steps: `Tests/HostTests/CLI/CLIWarRoomCrashTests.swift`.)
@Suite struct DurableSideEffectsTests {
    static func steps(_ host: TestHost, _ caseID: String) async throws -> [String] {
        try await host.app.database.storage(plugin: CasesPlugin.id).read { sql in
            try await sql.raw("SELECT step FROM cases_side_effects WHERE case_id = \(bind: caseID) ORDER BY step").all()
                .map { try $0.decode(column: "step", as: String.self) }
        }
    }

    static func caseRow(_ host: TestHost, channel: String) async throws -> Case? {
        try await host.app.database.storage(plugin: CasesPlugin.id).read { sql in try await CaseStore.find(channel: channel, on: sql) }
    }

    static func jobs(_ host: TestHost, named name: String) async throws -> [ScheduledJob] {
        try await host.app.database.listJobs(states: ["pending", "running", "done", "dead", "cancelled"]).filter { $0.name == name }
    }

    @Test(arguments: TestDatabase.backends)
    func aStepThatFailedIsCompletedByTheJobAndNothingIsPostedTwice(_ backend: TestDatabase.Backend) async throws {
        try await CasesHarness.run(database: backend) { host in
            // The summary or the notification (whichever goes first) meets a 503; so does the topic, three
            // times in a row (the client retries an idempotent write itself, then gives up).
            host.simulator.failWithServerError("chat.postMessage", next: 1)
            host.simulator.failWithServerError("conversations.setTopic", next: 4)
            let before = Set(host.simulator.conversations.map(\.id))
            let reply = try #require(try await host.slash("open Checkout errors", as: "alice", in: "general"))
            let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") })
            #expect(reply.text.contains("The topic was not set"), "\(reply.text)")
            #expect(reply.text.contains("was not posted"), "\(reply.text)")
            let item = try #require(try await Self.caseRow(host, channel: channel.id))

            // The request moved its job to now (it may have run already): it completes only what is missing.
            try await host.settleJobs()
            #expect(host.simulator.channel(channel.id)?.topic.value == "Checkout errors")
            let summaries = CasesHarness.messages(host, in: channel.id).filter { CasesHarness.text($0).contains("Investigation: Checkout errors") }
            let notifications = CasesHarness.messages(host, in: "C0INCIDENTS").filter { CasesHarness.text($0).contains("<#\(channel.id)>") }
            #expect(summaries.count == 1)
            #expect(notifications.count == 1)
            #expect(host.simulator.calls(to: "chat.postMessage").filter { $0.outcome == .ok }.count == 2)
            #expect(try await Self.steps(host, item.id) == ["open.invite", "open.notification", "open.summary", "open.topic"])
            let stored = try #require(try await Self.caseRow(host, channel: channel.id))
            #expect(stored.summary?.ts == summaries.first?.ts)
            #expect(stored.notification?.ts == notifications.first?.ts)
            #expect(try await Self.jobs(host, named: "assemble_war_room").map(\.state) == ["done"])

            // The job again (a retry, a second replica): every step is recorded, nothing is repeated.
            try await host.app.database.jobs(plugin: CasesPlugin.id).schedule(
                CasesPlugin.assembleWarRoom,
                CasesPlugin.WarRoomAssembly(caseID: item.id, invitees: ["U0ALICE"], channelMessages: [], announceIn: []),
                at: host.clock.now())
            try await host.settleJobs()
            #expect(CasesHarness.messages(host, in: channel.id).count == summaries.count)
            #expect(host.simulator.calls(to: "chat.postMessage").filter { $0.outcome == .ok }.count == 2)
            #expect(host.simulator.calls(to: "conversations.setTopic").filter { $0.outcome == .ok }.count == 1)
        }
    }

    /// The documented limit: without a `*:history` scope Casebook cannot see that a message whose
    /// answer was lost was stored, so it posts it again — one extra copy, and only of that message.
    @Test func anAmbiguousFailureCostsAtMostOneExtraCopyOfThatMessageOnly() async throws {
        try await CasesHarness.run { host in
            host.simulator.loseResponses("chat.postMessage", next: 1)
            let channel = try await CasesHarness.open(host, "Queue backlog")
            try await host.settleJobs()
            let summaries = CasesHarness.messages(host, in: channel.id).filter { CasesHarness.text($0).contains("Investigation: Queue backlog") }
            let notifications = CasesHarness.messages(host, in: "C0INCIDENTS").filter { CasesHarness.text($0).contains("<#\(channel.id)>") }
            #expect(summaries.count + notifications.count == 3, "one of the two was stored, answered 503, and posted once more")
            #expect(summaries.count >= 1 && summaries.count <= 2 && notifications.count >= 1 && notifications.count <= 2)
            // Once a post is confirmed, no later run repeats it.
            let item = try #require(try await Self.caseRow(host, channel: channel.id))
            try await host.app.database.jobs(plugin: CasesPlugin.id).schedule(
                CasesPlugin.assembleWarRoom,
                CasesPlugin.WarRoomAssembly(caseID: item.id, invitees: ["U0ALICE"], channelMessages: [], announceIn: []),
                at: host.clock.now())
            try await host.settleJobs()
            #expect(host.simulator.calls(to: "chat.postMessage").count == 3)
        }
    }

    @Test func anOpenWhoseStepsAllWorkedLeavesNoJobBehind() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Search is slow")
            let item = try #require(try await Self.caseRow(host, channel: channel.id))
            #expect(try await Self.steps(host, item.id) == ["open.invite", "open.notification", "open.summary", "open.topic"])
            #expect(try await Self.jobs(host, named: "assemble_war_room").map(\.state) == ["cancelled"])
            #expect(try await Self.jobs(host, named: "reconcile_channel").map(\.state) == ["cancelled"])
            // Long after the hand-off, nothing more happens.
            let posts = host.simulator.calls(to: "chat.postMessage").count
            try await host.advance(by: .seconds(600))
            #expect(host.simulator.calls(to: "chat.postMessage").count == posts)
            #expect(host.simulator.channel(channel.id)?.isArchived == false)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func escalationAndCloseStepsAreCompletedByTheirJobs(_ backend: TestDatabase.Backend) async throws {
        try await CasesHarness.run(database: backend) { host in
            let incident = try await CasesHarness.open(host, "Payments down")
            host.simulator.failWithServerError("chat.postMessage", next: 2)
            let escalated = try await host.slash("incident", as: "alice", in: incident.id)
            #expect(escalated?.text.contains("Escalated to an incident") == true)
            try await host.settleJobs()
            let announcements = CasesHarness.messages(host, in: incident.id).filter { $0.text.contains("escalated this investigation to an incident") }
            let notices = CasesHarness.messages(host, in: "C0INCIDENTS").filter { $0.text.contains("is now an incident") }
            #expect(announcements.count == 1)
            #expect(notices.count == 1)
            let item = try #require(try await Self.caseRow(host, channel: incident.id))
            #expect(try await Self.steps(host, item.id).filter { $0.hasPrefix("incident.") }
                == ["incident.message", "incident.notification", "incident.responders"])

            // Closing: the archive fails through the client's own retries; the job archives later.
            let investigation = try await CasesHarness.open(host, "Odd log lines")
            host.simulator.failWithServerError("conversations.archive", next: 4)
            let closed = try await host.slash("close", as: "alice", in: investigation.id)
            #expect(closed?.text.contains("could not archive") == true, "\(closed?.text ?? "")")
            #expect(closed?.text.contains("keep trying") == true)
            try await host.settleJobs()
            #expect(host.simulator.channel(investigation.id)?.isArchived == true)
            let finals = CasesHarness.messages(host, in: investigation.id).filter { $0.text.contains("Case closed") }
            #expect(finals.count == 1)
        }
    }

    @Test func aStepThatFailsForGoodIsReportedInTheChannelOnce() async throws {
        let config = CasesHarness.config().replacingOccurrences(of: "  sockets: 1\n", with: "  sockets: 1\n  jobs: { max_attempts: 2 }\n")
        try await CasesHarness.run(config: config) { host in
            let channel = try await CasesHarness.open(host, "Flaky cache")
            host.simulator.failWithServerError("conversations.archive", next: 1_000)
            _ = try await host.slash("close", as: "alice", in: channel.id)
            try await host.settleJobs()
            try await host.advance(by: .seconds(600))
            host.simulator.clearFaults()
            let warnings = CasesHarness.messages(host, in: channel.id).filter { $0.text.contains("I could not archive this channel") }
            #expect(warnings.count == 1, "\(CasesHarness.messages(host, in: channel.id).map(\.text))")
            #expect(warnings.first?.text.contains("Please do it by hand") == true)
            #expect(try await Self.jobs(host, named: "close_war_room").map(\.state) == ["dead"])
            #expect(CasesHarness.messages(host, in: channel.id).filter { $0.text.contains("Case closed") }.count == 1)
        }
    }

    @Test func aChannelWhoseCaseWasNeverRecordedIsArchived() async throws {
        try await CasesHarness.run { host in
            let kept = try await CasesHarness.open(host, "A real case")
            let storage = try host.app.database.storage(plugin: CasesPlugin.id)
            // The commit fails (as if the process had died before it): a trigger refuses new cases
            // (SQLite's syntax; the path under test is the same on PostgreSQL).
            try await storage.read { sql in
                try await sql.raw("CREATE TRIGGER refuse_cases BEFORE INSERT ON cases_cases BEGIN SELECT RAISE(ABORT, 'refused'); END").run()
            }

            // 1. The request archives the channel it made at once.
            var before = Set(host.simulator.conversations.map(\.id))
            _ = try await host.slash("open Lost one", as: "alice", in: "general")
            let first = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") })
            #expect(host.simulator.channel(first.id)?.isArchived == true)
            #expect(CasesHarness.messages(host, in: first.id).contains { $0.text.contains("never opened") })

            // 2. That archive fails too: the intent's job finds the orphan after its grace period.
            host.simulator.failWithServerError("conversations.archive", next: 4)
            before = Set(host.simulator.conversations.map(\.id))
            _ = try await host.slash("open Lost two", as: "alice", in: "general")
            let second = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") })
            #expect(host.simulator.channel(second.id)?.isArchived == false)
            try await storage.read { sql in try await sql.raw("DROP TRIGGER refuse_cases").run() }

            try await host.advance(by: .seconds(CasesPlugin.orphanGrace + 1))
            #expect(host.simulator.channel(second.id)?.isArchived == true)
            #expect(CasesHarness.messages(host, in: second.id).filter { $0.text.contains("never opened") }.count >= 1)
            #expect(host.simulator.channel(kept.id)?.isArchived == false, "a case's channel is never an orphan")
            #expect(try await Self.caseRow(host, channel: second.id) == nil)
            #expect(try await CasesHarness.auditActions(host).filter { $0 == "case.orphan_archived" }.count == 2)
            let reconciles = try await Self.jobs(host, named: "reconcile_channel")
            #expect(reconciles.filter { $0.state == "done" }.count == 2)
            #expect(reconciles.filter { $0.state == "cancelled" }.count == 1)
        }
    }
}
