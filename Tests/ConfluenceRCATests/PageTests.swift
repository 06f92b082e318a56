import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import ConfluenceRCAPlugin
import Foundation
import Testing

/// Points 2, 4 and 7: the RCA page on resolve and on `/case rca`, once per case, its links, and a
/// body with the incident's own record.
@Suite struct PageTests {
    @Test func resolvingCreatesOnePageWithTheTimelineAndRolesAndLinksIt() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host, "Checkout errors")
            _ = try await host.slash("severity sev2", as: "alice", in: channel)
            let before = try await host.slash("status", as: "alice", in: channel)
            #expect(before?.allText.contains("RCA page:* created in Confluence when the incident is resolved") == true, "\(before?.allText ?? "")")
            try await ConfluenceHarness.resolve(host, channel)
            try await host.advance(by: .seconds(20))

            #expect(confluence.created.count == 1)
            let page = try #require(confluence.created.first)
            let day = SlackText.utc(host.clock.now()).prefix(10)
            #expect(page.title == "\(day) Checkout errors RCA")
            #expect(page.spaceKey == "ENG")
            #expect(page.parentID == "65602", "under “Incident RCAs”")
            #expect(StorageFormat.problem(in: page.body) == nil)
            for expected in [
                "Checkout errors", "SEV2", "Alice Archer", "Bob Baker", "Communications liaison", "Incident commander",
                "Escalated to an incident", "Severity changed from SEV4 to SEV2", "Incident resolved", "Root cause",
            ] {
                #expect(page.body.contains(expected), "the body lacks \(expected)")
            }
            #expect(!page.body.contains("ri:user"), "people are Slack names, never guessed Confluence users")
            #expect(!page.body.contains("<@U0"))

            let url = confluence.url(of: page)
            #expect(url.hasPrefix("https://casebook-sim.atlassian.net/wiki/spaces/ENG/pages/\(page.id)/"))
            #expect(ConfluenceHarness.links(host, in: channel).count == 1)
            #expect(ConfluenceHarness.links(host, in: channel).first?.contains(url) == true)
            let rca = try #require(ConfluenceHarness.rcaChannel(host, for: channel))
            #expect(ConfluenceHarness.links(host, in: rca).count == 1, "the link is in the RCA channel too")
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*RCA page:* <\(url)|") == true, "\(status?.allText ?? "")")
            let caseID = try await ConfluenceHarness.caseID(host, channel: channel)
            let entry = try #require(try await host.app.database.auditEntries().first { $0.action == "confluence.page_created" })
            #expect(entry.subject == caseID)
            #expect(entry.details["summary"]?.string == "RCA page created: \(url)")

            let create = try #require(confluence.service.received("POST", "/wiki/rest/api/content").first)
            let basic = Data("\(FakeConfluence.seededUsername):\(FakeConfluence.seededAPIToken)".utf8).base64EncodedString()
            #expect(create.headers["authorization"] == "Basic \(basic)")
        }
    }

    @Test func aSecondRequestLinksTheSamePageAndCreatesNothing() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            let early = try await host.slash("rca", as: "bob", in: channel)
            #expect(early?.text.contains("Creating the RCA page") == true)
            try await host.settleJobs()
            #expect(confluence.created.count == 1)
            let url = confluence.url(of: try #require(confluence.created.first))

            try await ConfluenceHarness.resolve(host, channel)
            let again = try await host.slash("rca", as: "carol", in: channel)
            #expect(again?.responseType == "ephemeral")
            #expect(again?.text.contains(url) == true)
            #expect(again?.text.contains("nothing new") == true)
            try await host.settleJobs()
            #expect(confluence.created.count == 1)
            #expect(confluence.service.received("POST", "/wiki/rest/api/content").count == 1)
            #expect(ConfluenceHarness.links(host, in: channel).count == 1)
            let entries = try await host.app.database.auditEntries().filter { $0.action == "confluence.page_created" }
            #expect(entries.count == 1)
            #expect(entries.first?.actor == "U0BOB")
        }
    }

    /// On both storage backends: the page's record and its links are this plugin's own SQL.
    @Test(arguments: TestDatabase.backends)
    func aRestartBetweenTheResolveAndTheCallStillMakesExactlyOnePage(_ backend: TestDatabase.Backend) async throws {
        try await ConfluenceHarness.run(database: backend) { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            confluence.service.inject(.status(503), count: 1_000)
            try await ConfluenceHarness.resolve(host, channel)
            #expect(confluence.created.isEmpty)
            #expect(!confluence.service.received.isEmpty, "the call was tried and failed")
            try await host.restart()
            confluence.service.clearFaults()
            try await host.advance(by: .seconds(3_600))
            try await host.advance(by: .seconds(3_600))
            #expect(confluence.created.count == 1)
            #expect(ConfluenceHarness.links(host, in: channel).count == 1)
            #expect(!ConfluenceHarness.texts(host, in: channel).contains { $0.contains("could not create the RCA page") }, "a retried outage is not a failure")
            let rca = try #require(ConfluenceHarness.rcaChannel(host, for: channel))
            #expect(ConfluenceHarness.links(host, in: rca).count == 1)
            let again = try await host.slash("rca", as: "alice", in: channel)
            #expect(again?.text.contains("nothing new") == true)
        }
    }

    @Test func aPageAnEarlierAttemptMadeIsAdoptedNotDuplicated() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host, "Search is slow")
            // As if an earlier attempt created the page and its answer was lost.
            let title = "\(SlackText.utc(host.clock.now()).prefix(10)) Search is slow RCA"
            confluence.seed(FakeConfluence.Page(id: "777", spaceKey: "ENG", title: title, parentID: "65602"))
            try await ConfluenceHarness.resolve(host, channel)
            #expect(confluence.created.isEmpty)
            #expect(confluence.service.received("POST", "/wiki/rest/api/content").isEmpty)
            #expect(ConfluenceHarness.links(host, in: channel).first?.contains("/pages/777/") == true)
        }
    }

    @Test func aDuplicateTitleAnswerIsResolvedByLookingThePageUp() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host, "Queue backlog")
            let title = "\(SlackText.utc(host.clock.now()).prefix(10)) Queue backlog RCA"
            confluence.seed(FakeConfluence.Page(id: "888", spaceKey: "ENG", title: title, parentID: "65602"))
            // The first look-up misses it (a page made by hand a moment ago), so the create meets the duplicate title.
            confluence.service.inject(
                .status(200, body: ["results": [], "start": 0, "limit": 1, "size": 0, "_links": ["base": "https://casebook-sim.atlassian.net/wiki"]]),
                count: 1, when: { $0.method == "GET" && $0.queryValues("title") == [title] })
            try await ConfluenceHarness.resolve(host, channel)
            let create = try #require(confluence.service.received("POST", "/wiki/rest/api/content").first)
            #expect(create.json?["title"]?.string == title)
            #expect(confluence.created.isEmpty, "the fake refused the duplicate")
            #expect(ConfluenceHarness.links(host, in: channel).first?.contains("/pages/888/") == true)
            let entry = try await host.app.database.auditEntries().first { $0.action == "confluence.page_created" }
            #expect(entry?.details["adopted"]?.bool == true)
        }
    }

    @Test func aTitleWithMarkupStaysValidStorageXHTML() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host, "Disk <full> & ]]> on db-1")
            try await ConfluenceHarness.resolve(host, channel)
            let page = try #require(confluence.created.first, "the fake refuses a body that is not well-formed")
            #expect(page.title.hasSuffix(" Disk <full> & ]]> on db-1 RCA"))
            #expect(StorageFormat.problem(in: page.body) == nil)
            #expect(page.body.contains("Disk &lt;full&gt; &amp; ]]&gt; on db-1"))
        }
    }

    @Test func withoutRolesThePageHasTheCommanderAndNoRCAChannel() async throws {
        try await ConfluenceHarness.run(config: ConfluenceHarness.config(roles: false), roles: false) { host, confluence in
            let channel = try await ConfluenceHarness.incident(host, "Login fails", roles: false)
            try await ConfluenceHarness.resolve(host, channel)
            let page = try #require(confluence.created.first)
            #expect(page.body.contains("Incident Commander</td><td>Alice Archer"))
            #expect(!page.body.contains("Severity</th>"))
            #expect(ConfluenceHarness.links(host, in: channel).count == 1)
        }
    }

    @Test func onResolveFalseWaitsForTheCommand() async throws {
        try await ConfluenceHarness.run(config: ConfluenceHarness.config(confluence: ["on_resolve: false"])) { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            try await ConfluenceHarness.resolve(host, channel)
            #expect(confluence.created.isEmpty)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*RCA page:* none yet") == true)
            _ = try await host.slash("rca", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(confluence.created.count == 1)
        }
    }

    @Test func misuseGetsAUsageLine() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let outside = try await host.slash("rca", as: "alice", in: "general")
            #expect(outside?.responseType == "ephemeral")
            #expect(outside?.text.contains("inside a case channel") == true)
            let channel = try await ConfluenceHarness.incident(host)
            let extra = try await host.slash("rca now please", as: "alice", in: channel)
            #expect(extra?.text.contains("Usage: `/case rca`") == true)
            #expect(confluence.service.received.isEmpty)
        }
    }
}
