import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

@Suite struct LifecycleTests {
    /// The Case app's walk-through: open at 2:45, evidence, escalate, (restart), resolve, close.
    @Test(arguments: TestDatabase.backends)
    func theWholeLifecycleSurvivesARestart(_ backend: TestDatabase.Backend) async throws {
        // Live, as deployed: over Socket Mode and HTTP, and the restart reopens the database.
        try await CasesHarness.run(.live, database: backend) { host in
            let channel = try await CasesHarness.open(host, "API response times increasing")

            // Evidence from #alerts, preselected because alice opened the case.
            let alertTS = try host.simulator.postAsUser("alice", channel: "alerts", text: "p99 latency 4.2s on api-gateway")
            try await host.messageShortcut("collect_evidence", as: "alice", channel: "alerts", messageTS: alertTS)
            try await host.waitUntil("the evidence modal") { host.simulator.topView(for: "alice") != nil }
            let modal = try #require(host.simulator.topView(for: "alice"))
            #expect(modal.callbackID == EvidenceModal.callbackID.wire)
            #expect(modal.blocks.description.contains("initial_option"))
            #expect(!modal.privateMetadata.contains("p99"), "the message text must never be carried")
            let caseID = try #require(try await host.app.database.auditEntries().first { $0.action == "case.opened" }?.subject)
            #expect(modal.blocks.description.contains(caseID))
            try await host.submitTopView(as: "alice", values: [EvidenceModal.caseBlock: [EvidenceModal.caseAction: caseID]])
            try await host.waitUntil("the evidence link") {
                CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("added evidence") }
            }
            let link = try #require(CasesHarness.messages(host, in: channel.id).first { $0.text.contains("added evidence") })
            #expect(link.text.contains("<#C0ALERTS>"))
            #expect(link.text.contains("https://"))
            #expect(!link.text.contains("p99"))
            #expect(!host.simulator.calledMethods.contains { $0.contains("history") || $0.contains("replies") || $0.hasPrefix("search.") })

            try await host.advance(by: .seconds(10 * 60))
            try await host.join("bob", channel.id)
            let escalated = try await host.slash("incident", as: "bob", in: channel.id)
            #expect(escalated?.text.contains("incident commander") == true)
            #expect(CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("<@U0BOB> escalated") })
            #expect(CasesHarness.messages(host, in: "C0INCIDENTS").contains { $0.text.contains("is now an incident") })
            // Summary and notification were updated in place.
            let summary = try #require(CasesHarness.messages(host, in: channel.id).first)
            #expect(summary.text.contains("Incident"))
            #expect(host.simulator.calls(to: "chat.update").count >= 2)

            try await host.restart()

            try await host.advance(by: .seconds(35 * 60))
            let resolved = try await host.slash("resolve", as: "bob", in: channel.id)
            #expect(resolved?.text.contains("resolved in 35m") == true)
            let again = try await host.slash("resolve", as: "alice", in: channel.id)
            #expect(again?.text.contains("Already resolved") == true)

            let status = try #require(try await host.slash("status", as: "carol", in: channel.id)).allText
            #expect(status.contains("Resolved"))
            #expect(status.contains("*Evidence:* 1"))
            #expect(status.contains("*Commander:* <@U0BOB>"))
            #expect(status.contains("time to resolve 35m"))
            #expect(status.contains("escalated to an incident"))

            try await host.advance(by: .seconds(2 * 3600))
            let closed = try await host.slash("close", as: "alice", in: channel.id)
            #expect(closed?.text.contains("Closed") == true)
            #expect(host.simulator.channel(channel.id)?.isArchived == true)
            #expect(CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("Case closed") })
            let notification = try #require(CasesHarness.messages(host, in: "C0INCIDENTS").first)
            #expect(notification.text.contains("Closed"))

            #expect(try await CasesHarness.auditActions(host) == [
                "case.opened", "case.evidence_added", "case.escalated", "case.resolved", "case.closed",
            ])
        }
    }

    @Test func simultaneousEscalationsProduceExactlyOne() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Checkout errors")
            for user in ["bob", "carol"] { try await host.join(user, channel.id) }
            let replies = try await withThrowingTaskGroup(of: String.self) { group in
                for user in ["alice", "bob", "carol"] {
                    group.addTask { try await host.slash("incident", as: user, in: channel.id)?.text ?? "" }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(replies.filter { $0.contains("You are the incident commander") }.count == 1)
            #expect(replies.filter { $0.contains("already an incident") }.count == 2)
            #expect(try await CasesHarness.auditActions(host).filter { $0 == "case.escalated" }.count == 1)
            #expect(CasesHarness.messages(host, in: channel.id).filter { $0.text.contains("escalated this investigation") }.count == 1)
        }
    }

    @Test func closingAnUnresolvedIncidentAsksFirst() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Queue backlog")
            try await host.slash("incident", as: "alice", in: channel.id)
            let ask = try #require(try await host.slash("close", as: "alice", in: channel.id))
            #expect(ask.text.contains("not resolved"))
            #expect(ask.allText.contains(ActionID.confirmClose.wire))
            #expect(host.simulator.channel(channel.id)?.isArchived == false)

            let prompt = try #require(host.simulator.ephemeralMessages(for: "alice", in: channel.id).last { $0.text.contains("not resolved") })
            try await host.click(ActionID.confirmClose.wire, as: "alice", channel: channel.id, messageTS: prompt.ts)
            try await host.waitUntil("the channel is archived") { host.simulator.channel(channel.id)?.isArchived == true }
            #expect(CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("Closed without being resolved") })
            #expect(try await CasesHarness.auditActions(host).last == "case.closed")
        }
    }

    @Test func transferOnlyToRealMembers() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "DNS flapping")
            let early = try await host.slash("transfer <@U0BOB>", as: "alice", in: channel.id)
            #expect(early?.text.contains("not an incident yet") == true)
            try await host.slash("incident", as: "alice", in: channel.id)

            let bot = try await host.slash("transfer <@U0OTHERBOT|alertbot>", as: "alice", in: channel.id)
            #expect(bot?.text.contains("can't command an incident") == true)
            let external = try await host.slash("transfer <@U0ERIN>", as: "alice", in: channel.id)
            #expect(external?.text.contains("can't command an incident") == true)
            let usage = try await host.slash("transfer carol", as: "alice", in: channel.id)
            #expect(usage?.text.contains("/case transfer @user") == true)

            let done = try await host.slash("transfer <@U0CAROL|carol>", as: "alice", in: channel.id)
            #expect(done?.text.contains("<@U0CAROL> is now the incident commander") == true)
            #expect(host.simulator.channel(channel.id)?.members.contains("U0CAROL") == true)
            #expect(CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("handed incident command to <@U0CAROL>") })
            let same = try await host.slash("transfer <@U0CAROL>", as: "bob", in: channel.id)
            #expect(same?.text.contains("already the incident commander") == true)
            #expect(try await CasesHarness.auditActions(host).filter { $0 == "case.commander_changed" }.count == 1)
        }
    }

    @Test func resolvingAnInvestigationAndEscalatingTwiceAreClearErrors() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Disk filling")
            let resolve = try await host.slash("resolve", as: "alice", in: channel.id)
            #expect(resolve?.text.contains("nothing to resolve") == true)
            try await host.slash("incident", as: "alice", in: channel.id)
            let twice = try await host.slash("incident", as: "alice", in: channel.id)
            #expect(twice?.text.contains("already an incident") == true)
            // Closing a plain investigation needs no confirmation.
            let other = try await CasesHarness.open(host, "Flaky test")
            try await host.join("bob", other.id)
            let closed = try await host.slash("close", as: "bob", in: other.id)
            #expect(closed?.text.contains("Closed") == true)
            #expect(host.simulator.channel(other.id)?.isArchived == true)
        }
    }
}
