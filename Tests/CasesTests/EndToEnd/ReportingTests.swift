import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

@Suite struct ReportingTests {
    @Test func listShowsActiveCasesNewestFirst() async throws {
        try await CasesHarness.run { host in
            let empty = try await host.slash("list", as: "carol", in: "general")
            #expect(empty?.text.contains("No active") == true)
            let first = try await CasesHarness.open(host, "First problem")
            try await host.advance(by: .seconds(5 * 60))
            let second = try await CasesHarness.open(host, "Second problem", as: "bob")
            try await host.slash("incident", as: "bob", in: second.id)
            let third = try await CasesHarness.open(host, "Third problem")
            try await host.slash("close", as: "alice", in: third.id)

            let list = try #require(try await host.slash("list", as: "carol", in: "general"))
            #expect(list.responseType == "ephemeral")
            let text = list.allText
            #expect(text.contains("2 active cases"))
            #expect(!text.contains("Third problem"))
            let firstAt = try #require(text.range(of: "<#\(first.id)>"))
            let secondAt = try #require(text.range(of: "<#\(second.id)>"))
            #expect(secondAt.lowerBound < firstAt.lowerBound)
            #expect(text.contains("commander <@U0BOB>"))
            #expect(text.contains("5m old"))
        }
    }

    @Test(arguments: TestDatabase.backends)
    func statsSummariseTheLastWeekAndAllTime(_ backend: TestDatabase.Backend) async throws {
        try await CasesHarness.run(database: backend) { host in
            let a = try await CasesHarness.open(host, "Alpha")
            let b = try await CasesHarness.open(host, "Beta")
            _ = try await CasesHarness.open(host, "Gamma")
            try await host.advance(by: .seconds(10 * 60))
            try await host.slash("incident", as: "alice", in: a.id)
            try await host.advance(by: .seconds(30 * 60))
            try await host.slash("resolve", as: "alice", in: a.id)
            try await host.advance(by: .seconds(20 * 60))
            try await host.slash("close", as: "alice", in: a.id)
            try await host.slash("close", as: "alice", in: b.id)

            let stats = try #require(try await host.slash("stats", as: "carol", in: "general")).text
            #expect(stats.contains("1 open investigation"))
            #expect(stats.contains("0 unresolved incidents"))
            #expect(stats.contains("3 opened, 1 escalated"))
            #expect(stats.contains("MTTR (escalation → resolve):* 30m"))
            #expect(stats.contains("Average time to close:* 1h"))
            #expect(stats.contains("33% of 3 cases"))
        }
    }

    @Test func exportSendsACSVToTheRequestersDirectMessages() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "=HYPERLINK(\"http://evil\"), \"quoted\"")
            try await host.slash("incident", as: "alice", in: channel.id)

            let refused = try await host.slash("export", as: "carol", in: "general")
            #expect(refused?.text.contains("not allowed to export") == true)

            let reply = try await host.slash("export", as: "bob", in: "general")
            #expect(reply?.text.contains("direct message") == true)
            let dm = try #require(host.simulator.directMessageChannel(with: "bob"))
            let file = try #require(host.simulator.files.last)
            #expect(file.channels.contains(dm))
            #expect(file.user != "U0CAROL")
            let csv = String(decoding: try #require(file.data), as: UTF8.self)
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(lines[0].hasPrefix("name,title,status,channel"))
            #expect(lines[1].hasPrefix("\(channel.name),\"'=HYPERLINK(\"\"http://evil\"\"), \"\"quoted\"\"\",escalated,\(channel.id),U0ALICE,"))
            #expect(lines[1].contains(",yes,U0ALICE,"))
        }
    }

    @Test func withNobodyListedOnlyAdminsExportAndGuestsNever() async throws {
        let config = CasesHarness.config().replacingOccurrences(of: "export_authorized_users: U0ALICE, U0BOB", with: "export_authorized_users: \"\"")
        try await CasesHarness.run(config: config) { host in
            _ = try await CasesHarness.open(host, "Disk full")
            let member = try await host.slash("export", as: "bob", in: "general")
            #expect(member?.text.contains("Only workspace admins and owners may export") == true, "\(member?.text ?? "")")
            #expect(member?.text.contains("export_authorized_users") == true)
            let guest = try await host.slash("export", as: "dave", in: "general")
            #expect(guest?.text.contains("Guests and people from other organisations cannot export") == true, "\(guest?.text ?? "")")
            #expect(host.simulator.files.isEmpty)
            #expect(host.simulator.directMessageChannel(with: "bob") == nil)

            let admin = try await host.slash("export", as: "alice", in: "general")  // alice is a workspace admin
            #expect(admin?.text.contains("direct message") == true)
            #expect(host.simulator.files.count == 1)
            let exported = try await host.app.database.auditEntries().filter { $0.action == "cases.exported" }.map(\.actor)
            #expect(exported == ["U0ALICE"])
        }
    }

    @Test func aListedGuestStillCannotExport() async throws {
        let config = CasesHarness.config().replacingOccurrences(of: "export_authorized_users: U0ALICE, U0BOB", with: "export_authorized_users: U0DAVE")
        try await CasesHarness.run(config: config) { host in
            let guest = try await host.slash("export", as: "dave", in: "general")
            #expect(guest?.text.contains("cannot export") == true)
            #expect(host.simulator.files.isEmpty)
        }
    }

    @Test func evidenceNeedsAnActiveCaseAndIsKeptOnce() async throws {
        try await CasesHarness.run { host in
            let ts = try host.simulator.postAsUser("alice", channel: "alerts", text: "disk 95%")
            _ = try await host.messageShortcut("collect_evidence", as: "alice", channel: "alerts", messageTS: ts)
            try await host.waitUntil("the no-case message") {
                host.simulator.ephemeralMessages(for: "alice").contains { $0.text.contains("no active case") }
            }
            #expect(host.simulator.topView(for: "alice") == nil)

            let channel = try await CasesHarness.open(host, "Disk filling", as: "bob")
            let caseID = try #require(try await host.app.database.auditEntries().first { $0.action == "case.opened" }?.subject)
            for attempt in 0..<2 {
                try await host.messageShortcut("collect_evidence", as: "alice", channel: "alerts", messageTS: ts)
                try await host.waitUntil("the evidence modal") { host.simulator.topView(for: "alice") != nil }
                // alice took no part in bob's case, so nothing is preselected until she has collected evidence for it.
                let preselected = host.simulator.topView(for: "alice")?.blocks.description.contains("initial_option")
                #expect(preselected == (attempt == 1))
                let answer = try await host.submitTopView(as: "alice", values: [EvidenceModal.caseBlock: [EvidenceModal.caseAction: caseID]])
                if attempt == 1 {
                    #expect(answer?["response_action"]?.string == "errors")
                    #expect(answer?["errors"]?[EvidenceModal.caseBlock]?.string?.contains("already evidence") == true)
                }
            }
            try await host.waitUntil("the evidence link") {
                CasesHarness.messages(host, in: channel.id).contains { $0.text.contains("added evidence") }
            }
            #expect(CasesHarness.messages(host, in: channel.id).filter { $0.text.contains("added evidence") }.count == 1)
            #expect(try await CasesHarness.auditActions(host).filter { $0 == "case.evidence_added" }.count == 1)
        }
    }
}

@Suite struct ParticipationTests {
    @Test func joiningACaseChannelPreselectsItInTheEvidenceModal() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Payments failing", as: "bob")
            _ = try await CasesHarness.open(host, "Newer unrelated case", as: "alice")
            try await host.deliver(try host.simulator.memberJoinedChannel(user: "carol", channel: channel.id))
            let caseID = try #require(try await host.app.database.auditEntries().first { $0.action == "case.opened" }?.subject)
            let ts = try host.simulator.postAsUser("carol", channel: "general", text: "customers report card declines")
            try await host.waitUntil("carol is recorded") {
                try await host.messageShortcut("collect_evidence", as: "carol", channel: "general", messageTS: ts)
                try await host.waitUntil("the evidence modal") { host.simulator.topView(for: "carol") != nil }
                let preselected = host.simulator.topView(for: "carol")?.blocks.description.contains("\"initial_option\"") == true
                    && host.simulator.topView(for: "carol")?.blocks.description.contains(caseID) == true
                if !preselected { _ = try host.simulator.viewClosed(user: "carol") }
                return preselected
            }
        }
    }

    @Test func theRateLimitAnswersPolitely() async throws {
        let config = CasesHarness.config().replacingOccurrences(of: "  sockets: 1", with: "  sockets: 1\n  rate_limit: { per_user: 2, per: 60s }")
        try await CasesHarness.run(config: config) { host in
            try await host.slash("list", as: "carol", in: "general")
            try await host.slash("list", as: "carol", in: "general")
            let third = try await host.slash("open Too fast", as: "carol", in: "general")
            #expect(third?.text.contains("a bit fast") == true)
            #expect(host.simulator.calls(to: "conversations.create").isEmpty)
        }
    }
}
