import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasebookSandbox
@testable import CasesPlugin
@testable import RolesPlugin

/// The test host's in-process mode itself: what a test sees when `slash`/`click` return. Not run
/// when `CASEBOOK_TEST_MODE=live` turns every in-process host into a live one.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CASEBOOK_TEST_MODE"] != "live"))
struct InProcessHostTests {
    @Test func aReplyCarriesTheTimestampOfTheMessageTheUserSees() async throws {
        try await CasesHarness.run(.inProcess) { host in
            #expect(host.mode == .inProcess)
            let reply = try #require(try await host.slash("list", as: "bob", in: "general"))
            let ts = try #require(reply.ts)
            let shown = host.simulator.ephemeralMessages(for: "bob", in: "general")
            #expect(shown.map(\.ts) == [ts])
            #expect(shown.first?.text == reply.text)
            #expect(reply.channel == host.channelID("general"))
            #expect(reply.viewer == host.userID("bob"))
        }
    }

    @Test func everyEffectOfACommandHasHappenedWhenSlashReturns() async throws {
        try await CasesHarness.run(.inProcess) { host in
            let before = Set(host.simulator.conversations.map(\.id))
            let reply = try #require(try await host.slash("open Checkout errors", as: "alice", in: "general"))
            // No waiting: the channel, its summary and the announcement were posted by the handler.
            let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") })
            #expect(reply.text.contains("<#\(channel.id)>"))
            #expect(CasesHarness.messages(host, in: channel.id).contains { CasesHarness.text($0).contains("Investigation: Checkout errors") })
            #expect(CasesHarness.messages(host, in: "C0INCIDENTS").contains { CasesHarness.text($0).contains("<#\(channel.id)>") })
        }
    }

    /// A handler slower than the ack budget acks empty and answers through `response_url`; the
    /// in-process `slash` returns that answer without polling for it.
    @Test func aReplyThatMissedTheAckIsThereWhenSlashReturns() async throws {
        try await TestHost.withRunning(
            .inProcess, plugins: [CasesPlugin.self], config: CasesHarness.config(), ackBudget: .milliseconds(50)
        ) { host in
            host.simulator.setLatency(.milliseconds(300), for: "conversations.create")
            let payload = try host.simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "open Slow Slack")
            let ack = try await host.deliver(payload)
            #expect(ack == nil, "the ack went out empty at the budget")
            let posted = host.simulator.replies(to: try #require(payload["response_url"]?.string))
            #expect(posted.count == 1)
            #expect(posted.first?["text"]?.string?.contains("<#") == true)

            let reply = try #require(try await host.slash("open Slow again", as: "alice", in: "general"))
            #expect(reply.text.contains("<#"))
            #expect(reply.ts != nil)
        }
    }

    @Test func aButtonOnTheReturnedMessageIsClickedByItsLabel() async throws {
        try await CasesHarness.run(.inProcess) { host in
            let channel = try await CasesHarness.open(host, "Payments down").id
            try await host.slash("incident", as: "alice", in: channel)
            let confirmation = try #require(try await host.slash("close", as: "alice", in: channel))
            #expect(confirmation.text.contains("Close it anyway?"))
            // Only the person who saw it can press it; the click goes to that message.
            let answer = try await confirmation.click("Close anyway")
            #expect(host.simulator.channel(channel)?.isArchived == true)
            #expect(answer?.text.contains("Closed") == true, "answer: \(answer?.text ?? "none")")
            await #expect(throws: SimulatorError.self) { try await confirmation.click("Reopen") }
        }
    }

    @Test func aSelectOnAChannelMessageIsPickedByItsPlaceholderAndOptionText() async throws {
        try await RolesHarness.run(.inProcess) { host in
            let channel = try await RolesHarness.incident(host)
            try await host.join("bob", channel)
            let panel = host.shown(try #require(RolesHarness.panel(host, channel)), to: "bob")
            try await panel.select("sev2", in: "Change severity")
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.severity == "sev2")
            await #expect(throws: SimulatorError.self) { try await panel.select("sev9", in: "Change severity") }
            #expect(RolesHarness.allText(host, in: channel).contains("<@U0BOB> changed the severity from SEV4 to *SEV2*"))
        }
    }

    @Test func liveModeIsStillThereForTransportTests() async throws {
        try await CasesHarness.run(.live) { host in
            #expect(host.mode == .live)
            #expect(host.httpPort != nil)
            let reply = try #require(try await host.slash("list", as: "bob", in: "general"))
            #expect(reply.ts == host.simulator.ephemeralMessages(for: "bob", in: "general").last?.ts)
        }
    }

    /// In-process PostgreSQL hosts reuse databases migrated for the same plugins; each test must
    /// still start on an empty one whose seeded rows (the audit chain's head) are back.
    @Test(.enabled(if: TestDatabase.backends.contains(.postgres)))
    func aReusedPostgresDatabaseStartsEmptyWithItsSeededRows() async throws {
        for round in 1...3 {
            try await CasesHarness.run(database: .postgres) { host in
                #expect(try await host.app.database.auditEntries().isEmpty, "round \(round) started on a used database")
                let listed = try await host.slash("list", as: "alice", in: "general")
                #expect(listed?.text.contains("No active investigations") == true, "round \(round): \(listed?.text ?? "no reply")")
                _ = try await CasesHarness.open(host, "Round \(round)")
                // The audit chain appends from its head row, which emptying the database must restore.
                #expect(try await CasesHarness.auditActions(host).contains("case.opened"))
            }
        }
    }

    /// What emptying a reused database runs: rows that reference others go first (a case's
    /// participants before the case), sequences restart, and the migrations' own rows come back.
    @Test(.enabled(if: TestDatabase.backends.contains(.postgres)))
    func emptyingDeletesReferencingRowsFirstAndRestartsSequences() async throws {
        try await TestDatabase.withMigrated(.postgres, plugins: [CasesPlugin.self]) { database in
            let host = database.storage(plugin: "casebook-tests")
            let emptying = try await host.read { try await PostgresEmptying.survey($0) }
            #expect(emptying.seed.keys.sorted() == ["casebook_audit_head"])
            let item = Case(id: "a", name: "case-a", title: "A", channelID: "C1", openedBy: "U1", openedAt: Date(timeIntervalSince1970: 1_750_000_000))
            try await database.storage(plugin: CasesPlugin.id).transaction { tx in
                try await CaseStore.insert(item, on: tx.sql)
                try await CaseStore.addParticipants(caseID: "a", users: ["U1", "U2"], at: item.openedAt, on: tx.sql)
            }
            let jobs = database.jobs(plugin: CasesPlugin.id)
            let first = try await jobs.schedule(name: "noop", payload: [:], at: item.openedAt, dedupeKey: nil, maxAttempts: nil)
            try await database.audit(plugin: CasesPlugin.id).record(actor: "U1", action: "case.opened", subject: "a", details: [:])

            try await host.read { try await emptying.apply($0) }
            let counts = try await host.read { sql in
                try await sql.raw("""
                    SELECT (SELECT COUNT(*) FROM cases_cases) + (SELECT COUNT(*) FROM cases_participants)
                         + (SELECT COUNT(*) FROM casebook_jobs) + (SELECT COUNT(*) FROM casebook_audit) AS used,
                           (SELECT COUNT(*) FROM casebook_audit_head WHERE sequence = 0) AS heads
                    """).first().map { (try $0.decode(column: "used", as: Int.self), try $0.decode(column: "heads", as: Int.self)) }
            }
            #expect(counts?.0 == 0)
            #expect(counts?.1 == 1)
            #expect(try await jobs.schedule(name: "noop", payload: [:], at: item.openedAt, dedupeKey: nil, maxAttempts: nil) == first)
            // The chain starts again from the restored head.
            try await database.audit(plugin: CasesPlugin.id).record(actor: "U1", action: "case.opened", subject: "a", details: [:])
            #expect(try await database.auditEntries().map(\.sequence) == [1])
        }
    }

    @Test func tablesAreEmptiedBeforeTheTablesTheyReference() {
        let ordered = PostgresEmptying.childrenFirst(
            ["a_cases", "a_evidence", "a_notes", "b_other"],
            references: [(child: "a_evidence", parent: "a_cases"), (child: "a_notes", parent: "a_evidence"), (child: "a_cases", parent: "a_cases")])
        #expect(ordered == ["a_notes", "b_other", "a_evidence", "a_cases"])
        let statement = PostgresEmptying.statement(deleting: ordered, restarting: ["casebook_jobs_id_seq"])
        #expect(statement == #"DO $$ BEGIN DELETE FROM "a_notes"; DELETE FROM "b_other"; DELETE FROM "a_evidence"; DELETE FROM "a_cases"; PERFORM setval('"casebook_jobs_id_seq"', 1, false); END $$"#)
    }
}
