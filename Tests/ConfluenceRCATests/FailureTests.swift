import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import ConfluenceRCAPlugin
import Foundation
import Testing

/// Points 2 and 4: what Confluence refuses is reported once in the case channel, in words that say
/// what to fix, with a Retry button; the token never reaches a log.
@Suite struct FailureTests {
    static func failures(_ host: TestHost, in channel: String) -> [String] {
        ConfluenceHarness.texts(host, in: channel).filter { $0.contains("could not create the RCA page") }
    }

    /// The value of the failure notice's Retry button (the job id).
    static func retryValue(_ blocks: [JSONValue]) -> String? {
        blocks.compactMap { $0["elements"]?.array }.flatMap { $0 }.first { $0["action_id"]?.string == "confluence.retry_call" }?["value"]?.string
    }

    @Test func aMissingParentPageIsReportedWithWhatToFix() async throws {
        try await ConfluenceHarness.run { host, confluence in
            confluence.remove(pageTitled: FakeConfluence.seededParentPage, in: "ENG")
            let channel = try await ConfluenceHarness.incident(host)
            try await ConfluenceHarness.resolve(host, channel)
            let failures = Self.failures(host, in: channel)
            #expect(failures.count == 1)
            #expect(failures.first?.contains("no page titled “Incident RCAs” in the space ENG") == true, "\(failures)")
            #expect(failures.first?.contains("parent_page") == true)
            #expect(confluence.created.isEmpty)
            let message = host.simulator.messages(in: channel).last { SlackReply(text: $0.text, blocks: $0.blocks).allText.contains("could not create") }
            #expect(Self.retryValue(message?.blocks ?? []) != nil, "a Retry button")
        }
    }

    @Test func aParentThatVanishesBeforeTheCreateIsA404ReportedOnce() async throws {
        try await ConfluenceHarness.run { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            // The parent is found, then deleted before the page is created under it.
            confluence.service.inject(
                .status(200, body: [
                    "results": [["id": "424242", "type": "page", "title": "Incident RCAs", "_links": ["webui": "/spaces/ENG/pages/424242"]]],
                    "_links": ["base": "https://casebook-sim.atlassian.net/wiki"],
                ]),
                count: 1, when: { $0.method == "GET" && $0.queryValues("title") == [FakeConfluence.seededParentPage] })
            try await ConfluenceHarness.resolve(host, channel)
            let create = try #require(confluence.service.received("POST", "/wiki/rest/api/content").first)
            #expect(create.json?["ancestors"]?[0]?["id"]?.string == "424242")
            let failures = Self.failures(host, in: channel)
            #expect(failures.count == 1)
            #expect(failures.first?.contains("HTTP 404") == true, "\(failures)")
            #expect(failures.first?.contains("parent_page") == true)
            #expect(confluence.service.received("POST", "/wiki/rest/api/content").count == 1, "a 404 is not retried")
        }
    }

    @Test func aSpaceWithoutAddPermissionIsA403ReportedOnceThenRetriedByTheButton() async throws {
        try await ConfluenceHarness.run(environment: ConfluenceHarness.environment(space: FakeConfluence.seededReadOnlySpace)) { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            try await ConfluenceHarness.resolve(host, channel)
            let failures = Self.failures(host, in: channel)
            #expect(failures.count == 1)
            #expect(failures.first?.contains("HTTP 403") == true, "\(failures)")
            #expect(failures.first?.contains("the space LEGAL does not exist or casebook@casebook.test may not add pages to it") == true, "\(failures)")
            #expect(confluence.created.isEmpty)

            // Someone grants the permission and presses Retry.
            confluence.put(FakeConfluence.Space(key: "LEGAL", id: "98306", name: "Legal", canAdd: true))
            let message = try #require(host.simulator.messages(in: channel).last {
                SlackReply(text: $0.text, blocks: $0.blocks).allText.contains("could not create")
            })
            let jobID = try #require(Self.retryValue(message.blocks))
            try await host.click("confluence.retry_call", as: "alice", channel: channel, messageTS: message.ts, value: jobID)
            try await host.settleJobs()
            #expect(confluence.created.count == 1)
            #expect(confluence.created.first?.spaceKey == "LEGAL")
            #expect(ConfluenceHarness.links(host, in: channel).count == 1)
        }
    }

    @Test func refusedCredentialsAreReportedAndTheTokenIsNeverLogged() async throws {
        let logs = CapturedLogs()
        let token = "wrong-token-0123456789"
        try await ConfluenceHarness.run(environment: ConfluenceHarness.environment(token: token), logs: logs) { host, confluence in
            let channel = try await ConfluenceHarness.incident(host)
            try await ConfluenceHarness.resolve(host, channel)
            let failures = Self.failures(host, in: channel)
            #expect(failures.count == 1)
            #expect(failures.first?.contains("credentials were refused") == true, "\(failures)")
            #expect(!failures.joined().contains(token))
            #expect(confluence.created.isEmpty)
        }
        #expect(!logs.all.contains(token))
        #expect(!logs.all.contains(Data("\(FakeConfluence.seededUsername):\(token)".utf8).base64EncodedString()))
    }
}
