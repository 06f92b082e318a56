import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Point 3: resolve → one postmortem issue, linked in the channel, the status line and the timeline;
/// `/case postmortem` and a second resolve never make another.
@Suite struct IssueTests {
    @Test func resolvingAnIncidentCreatesOnePostmortemIssueAndLinksIt() async throws {
        try await LinearHarness.run(config: LinearHarness.config(linear: ["label_ids: [\(FakeLinear.seededPostmortemLabelID)]", "due_in: 5d"])) {
            host, fake in
            let channel = try await LinearHarness.incident(host)
            _ = try await host.slash("severity sev2", as: "alice", in: channel)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the issue") { fake.creates == 1 }
            try await host.settleJobs()

            let issue = try #require(fake.issues.first)
            #expect(issue.title == "Postmortem: Checkout errors")
            #expect(issue.teamID == FakeLinear.seededTeamID)
            #expect(issue.projectID == FakeLinear.seededProjectID)
            #expect(issue.priority == 2, "sev2 → high")
            #expect(issue.labelIDs == [FakeLinear.seededPostmortemLabelID])
            // Resolved at the test clock's 2027-01-15 08:00 UTC; due five days later.
            #expect(issue.dueDate == "2027-01-20")
            #expect(issue.identifier == "ENG-1")
            // The key goes bare (no Bearer), and the id was chosen by Casebook.
            #expect(fake.createRequests.allSatisfy { $0.headers["authorization"] == FakeLinear.seededAPIKey })
            let sentID = try #require(LinearHarness.inputs(fake).first?["id"]?.string)
            #expect(sentID == issue.id)
            #expect(UUID(uuidString: sentID) != nil && Array(sentID)[14] == "4", "a UUID v4")

            // The description is the postmortem document in Markdown: roles, severity, timeline, empty sections.
            let description = try #require(issue.description)
            let alice = try #require(host.simulator.user("alice")?.realName)
            #expect(description.contains("## Roles\n\n- **Incident commander**: \(alice)"), "\(description)")
            #expect(description.contains("**SEV2**"))
            #expect(description.contains("## Timeline"))
            #expect(description.contains("\(alice): Escalated to an incident"))
            #expect(description.contains("\(alice): Severity changed from SEV4 to SEV2"), "\(description)")
            #expect(description.contains("\(alice): Incident resolved"))
            #expect(description.contains("## Impact\n\n\n\n## Root cause\n\n\n\n## Actions"), "present and empty")
            #expect(description.contains("| Case channel | [\\#case\\-checkout"))

            #expect(LinearHarness.texts(host, in: channel).contains { $0.contains("Postmortem issue created in Linear") && $0.contains("<\(issue.url)|ENG-1>") })
            // The call waited for the roles plugin's RCA channel: the issue links it, and it hears about the issue.
            let rca = try #require(host.simulator.conversations.first { $0.name.hasSuffix("-rca") }?.id)
            #expect(description.contains("| RCA channel | ["), "\(description)")
            #expect(description.contains("channel=\(rca))"), "\(description)")
            #expect(LinearHarness.texts(host, in: rca).contains { $0.contains("<\(issue.url)|ENG-1>") })
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*Linear postmortem:* <\(issue.url)|ENG-1>") == true, "\(status?.allText ?? "")")
            let caseID = try await LinearHarness.caseID(host, channel: channel)
            let entry = try await host.app.database.auditEntries().first { $0.action == "linear.postmortem_created" && $0.subject == caseID }
            #expect(entry?.details["summary"] == "Postmortem issue created: ENG-1")
            #expect(entry?.details["url"] == .string(issue.url))
        }
    }

    @Test func aSecondPostmortemCommandLinksTheSameIssueAndCreatesNothing() async throws {
        try await LinearHarness.run { host, fake in
            let channel = try await LinearHarness.incident(host)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the issue") { fake.creates == 1 }
            try await host.settleJobs()
            let before = fake.service.received.count

            let again = try await host.slash("postmortem", as: "bob", in: channel)
            #expect(again?.text.contains("ENG-1") == true, "\(again?.text ?? "")")
            #expect(again?.text.contains(try #require(fake.issues.first?.url)) == true)
            try await host.settleJobs()
            try await host.advance(by: .seconds(3_600))
            #expect(fake.creates == 1)
            #expect(fake.service.received.count == before, "Linear was not asked again")
            #expect(LinearHarness.texts(host, in: channel).filter { $0.contains("Postmortem issue created") }.count == 1)
        }
    }

    @Test func thePostmortemCommandBeforeTheResolveMakesTheOnlyIssue() async throws {
        try await LinearHarness.run(config: LinearHarness.config(linear: ["on_resolve: false"])) { host, fake in
            let channel = try await LinearHarness.incident(host)
            try await LinearHarness.resolve(host, channel)
            #expect(fake.creates == 0, "on_resolve: false")

            let reply = try await host.slash("postmortem", as: "alice", in: channel)
            #expect(reply?.text.contains("Creating the postmortem issue") == true)
            try await host.waitUntil("the issue") { fake.creates == 1 }
            _ = try await host.slash("postmortem", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(fake.creates == 1)
            #expect(fake.createRequests.count == 1)
        }
    }

    @Test func thePostmortemCommandIsForCaseChannelsAndTakesNoArguments() async throws {
        try await LinearHarness.run { host, fake in
            let outside = try await host.slash("postmortem", as: "alice", in: "general")
            #expect(outside?.text.contains("in the channel of a case") == true, "\(outside?.text ?? "")")
            let channel = try await LinearHarness.incident(host)
            let usage = try await host.slash("postmortem now please", as: "alice", in: channel)
            #expect(usage?.text.contains("Usage:") == true)
            try await host.settleJobs()
            #expect(fake.service.received.isEmpty)
        }
    }

    @Test func aTitleWithMarkupIsTheIssueTitleAsTypedAndSafeMarkdownInTheDescription() async throws {
        let title = "Checkout <b>down</b> & ]]> [click](https://evil.example) *now*"
        try await LinearHarness.run { host, fake in
            let channel = try await LinearHarness.incident(host, title)
            try await LinearHarness.resolve(host, channel)
            try await host.waitUntil("the issue") { fake.creates == 1 }
            let issue = try #require(fake.issues.first)
            #expect(issue.title == "Postmortem: \(title)", "Linear titles are plain text")
            let description = try #require(issue.description)
            let escaped = #"Checkout \<b\>down\</b\> \& \]\]\> \[click\]\(https://evil\.example\) \*now\*"#
            #expect(description.contains("**\(escaped)**"), "\(description)")
            #expect(!description.contains("<b>") && !description.contains("[click](") && !description.contains("]]>"))
        }
    }

    @Test func theIssueIsAlsoLinkedInTheRCAChannel() async throws {
        try await LinearHarness.run(config: LinearHarness.config(linear: ["on_resolve: false"])) { host, fake in
            let channel = try await LinearHarness.incident(host)
            try await LinearHarness.resolve(host, channel)
            let rca = try #require(host.simulator.conversations.first { $0.name.hasSuffix("-rca") }?.id)
            _ = try await host.slash("postmortem", as: "alice", in: channel)
            try await host.waitUntil("the issue") { fake.creates == 1 }
            try await host.settleJobs()
            let url = try #require(fake.issues.first?.url)
            #expect(LinearHarness.texts(host, in: rca).contains { $0.contains("<\(url)|ENG-1>") })
            #expect(fake.issues.first?.description?.contains("| RCA channel | [\\#case\\-checkout") == true, "named once its audit entry exists")
        }
    }
}
