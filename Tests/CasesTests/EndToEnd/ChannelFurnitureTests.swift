import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// Issue #18 point 4: the topic template kept current, bookmarks added once per case, and a user
/// group invited at opening — through the simulator, with the scopes the manifest asks for.
@Suite struct ChannelFurnitureTests {
    static let topic = "{{status}} · {{title}}{{#commander}} · IC {{commander}}{{/commander}} · bridge https://meet.test/war-room"

    static func config(_ lines: String) -> String {
        CasesHarness.config().replacingOccurrences(of: "      export_authorized_users: U0ALICE, U0BOB\n", with: "      export_authorized_users: U0ALICE, U0BOB\n" + lines)
    }

    static func topic(_ host: TestHost, _ channel: Conversation) -> String {
        host.simulator.channel(channel.id)?.topic.value ?? ""
    }

    @Test func theTopicFollowsTheCaseFromOpenToResolve() async throws {
        try await CasesHarness.run(config: Self.config("      topic: \"\(Self.topic)\"\n")) { host in
            let channel = try await CasesHarness.open(host, "Checkout <errors> & timeouts")
            // Set at open already, from the template, with the title as typed (topics are plain text).
            #expect(Self.topic(host, channel) == "Investigating · Checkout <errors> & timeouts · bridge https://meet.test/war-room")
            try await host.settleJobs()
            // Opening sets it once; the status changes set it once each.
            #expect(host.simulator.calls(to: "conversations.setTopic").count == 1)

            try await host.slash("incident", as: "alice", in: channel.id)
            try await host.settleJobs()
            #expect(Self.topic(host, channel) == "Incident · Checkout <errors> & timeouts · IC <@U0ALICE> · bridge https://meet.test/war-room")

            try await host.slash("transfer <@U0CAROL|carol>", as: "alice", in: channel.id)
            try await host.settleJobs()
            #expect(Self.topic(host, channel) == "Incident · Checkout <errors> & timeouts · IC <@U0CAROL> · bridge https://meet.test/war-room")

            try await host.slash("resolve", as: "carol", in: channel.id)
            try await host.settleJobs()
            #expect(Self.topic(host, channel) == "Resolved · Checkout <errors> & timeouts · IC <@U0CAROL> · bridge https://meet.test/war-room")
            #expect(host.simulator.calls(to: "conversations.setTopic").count == 4)

            // An event delivered again finds the topic current and does not set it again.
            let storage = try host.app.database.storage(plugin: CasesPlugin.id)
            let resolved = try #require(try await storage.read { db in try await CaseStore.find(channel: channel.id, on: db) })
            try await storage.transaction { tx in try await tx.events.publish(CaseResolved(case: resolved, actor: "U0CAROL")) }
            try await host.settleJobs()
            #expect(host.simulator.calls(to: "conversations.setTopic").count == 4)
            #expect(host.simulator.calls(to: "conversations.info").count >= 4)

            // Closing archives the channel; a topic job arriving after that has nothing to do and does not fail.
            try await host.slash("close", as: "carol", in: channel.id)
            try await host.settleJobs()
            #expect(host.simulator.channel(channel.id)?.isArchived == true)
            #expect(try await host.app.database.listJobs(states: ["dead"]).isEmpty)
        }
    }

    @Test func aLongTopicIsCutToSlacksLength() async throws {
        let bridge = "https://meet.test/" + String(repeating: "w", count: 100)
        try await CasesHarness.run(config: Self.config("      topic: \"{{title}} | {{status}} | {{commander}} | \(bridge)\"\n")) { host in
            let title = String(repeating: "slow checkout ", count: 10).trimmingCharacters(in: .whitespaces)
            let channel = try await CasesHarness.open(host, title)
            try await host.slash("incident", as: "alice", in: channel.id)
            try await host.settleJobs()
            let topic = Self.topic(host, channel)
            #expect(topic.count == 250)
            #expect(topic.hasPrefix(title + " | Incident | <@U0ALICE> | https://meet.test/www"))
            #expect(topic.hasSuffix("w…"))
        }
    }

    @Test func withoutATopicSettingTheTitleIsTheTopicForGood() async throws {
        try await CasesHarness.run { host in
            let channel = try await CasesHarness.open(host, "Queue backlog")
            try await host.slash("incident", as: "alice", in: channel.id)
            try await host.settleJobs()
            #expect(Self.topic(host, channel) == "Queue backlog")
            #expect(host.simulator.calls(to: "conversations.setTopic").count == 1)
            // Nothing configured, nothing asked for.
            #expect(host.simulator.grantedScopes?.contains("bookmarks:write") == false)
            #expect(host.simulator.calls(to: "bookmarks.add").isEmpty)
        }
    }

    static let bookmarks = """
              bookmarks:
                - { title: Incident guide, url: "${INCIDENT_GUIDE_LINK:-}" }
                - { title: Postmortem process, url: "${INCIDENT_POSTMORTEMS_LINK:-}" }
                - { title: Status dashboard, url: "https://status.test/dash?team=a&b=1" }

        """

    @Test func bookmarksAreAddedOnceThroughFailuresRedeliveryAndARestart() async throws {
        let environment = ["INCIDENT_GUIDE_LINK": "https://wiki.test/incident-guide"]
        try await TestHost.withRunning(
            .inProcess, plugins: [CasesPlugin.self], config: Self.config(Self.bookmarks), environment: environment
        ) { host in
            // The manifest asks for bookmarks:write because bookmarks are configured.
            #expect(host.simulator.grantedScopes?.contains("bookmarks:write") == true)
            // Slack fails the first calls; the jobs retry with backoff.
            host.simulator.failWithServerError("bookmarks.add", next: 6)
            let channel = try await CasesHarness.open(host, "Payments failing")
            try await host.settleJobs()
            for _ in 0..<10 where (host.simulator.channel(channel.id)?.bookmarks.count ?? 0) < 2 {
                try await host.advance(by: .seconds(120))
                try await host.settleJobs()
            }
            func links() -> [String] { (host.simulator.channel(channel.id)?.bookmarks ?? []).map { "\($0.title) <\($0.link)>" }.sorted() }
            // The postmortem link's variable is unset: that bookmark is skipped.
            let expected = ["Incident guide <https://wiki.test/incident-guide>", "Status dashboard <https://status.test/dash?team=a&b=1>"]
            #expect(links() == expected)
            let calls = host.simulator.calls(to: "bookmarks.add").count
            #expect(calls > 2, "the failed calls were retried")

            // After a restart, the event delivered again (at least once) adds nothing.
            try await host.restart()
            let stored = try #require(try await host.app.database.storage(plugin: CasesPlugin.id).read { db in
                try await CaseStore.find(channel: channel.id, on: db)
            })
            try await host.app.database.storage(plugin: CasesPlugin.id).transaction { tx in
                try await tx.events.publish(CaseOpened(case: stored, actor: "U0ALICE"))
            }
            try await host.settleJobs()
            #expect(links() == expected)
            #expect(host.simulator.calls(to: "bookmarks.add").count == calls)
            #expect(try await host.app.database.listJobs(states: ["dead"]).isEmpty)
        }
    }

    @Test func inviteOnOpenBringsTheGroupInAtOnceAndTheResponseGroupStillAtEscalation() async throws {
        var workspace = Workspace.seeded()
        workspace.userGroups.append(UserGroup(id: "S0ONCALL", handle: "oncall", name: "On call", users: ["U0CAROL", "U0CASEBOT"]))
        try await CasesHarness.run(config: Self.config("      invite_on_open: S0ONCALL\n"), workspace: workspace) { host in
            let channel = try await CasesHarness.open(host, "Login errors", as: "alice")
            let members = Set(host.simulator.channel(channel.id)?.members ?? [])
            #expect(members.isSuperset(of: ["U0ALICE", "U0CAROL"]), "\(members)")
            #expect(!members.contains("U0BOB"), "the response group comes at escalation")

            try await host.slash("incident", as: "alice", in: channel.id)
            try await host.settleJobs()
            #expect(host.simulator.channel(channel.id)?.members.contains("U0BOB") == true)
        }
    }
}

/// The settings' errors name file, line, column and key; the scopes follow what is configured.
@Suite struct ChannelFurnitureConfigurationTests {
    func load(_ lines: String, _ environment: [String: String] = [:]) throws -> CasesPlugin.Configuration {
        let loaded = try ConfigurationLoader.load(
            yaml: "plugins:\n  cases:\n    enabled: true\n    config:\n      notifications_channel: C1\n" + lines,
            environment: environment, available: [CasesPlugin.self])
        return try #require(loaded.plugins.first?.configuration as? CasesPlugin.Configuration)
    }

    func problems(_ lines: String, _ environment: [String: String] = [:]) -> String {
        do {
            _ = try load(lines, environment)
            return ""
        } catch let error as ConfigurationErrors {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func defaultsAreOff() throws {
        let configuration = try load("")
        #expect(configuration.topic == nil && configuration.bookmarks.isEmpty && configuration.inviteOnOpen == nil)
        #expect(!CasesPlugin.requirements(for: configuration).scopes.contains("bookmarks:write"))
        #expect(CasesPlugin.requirements(for: configuration) == CasesPlugin.requirements)
        let blank = try load("      topic: \"${CASE_TOPIC:-}\"\n      invite_on_open: \"${ONCALL_GROUP:-}\"\n      bookmarks: []\n")
        #expect(blank.topic == nil && blank.inviteOnOpen == nil)
    }

    @Test func aTemplateThatDoesNotParseIsPlaced() {
        let text = problems("      topic: \"{{#commander}}IC {{commander}}\"\n")
        #expect(text.hasPrefix("plugins.yaml:6:14: plugins.cases.config.topic: is not a valid template (line 1: {{#commander}} is never closed"), "\(text)")
        let unescaped = problems("      topic: \"{{{title}}}\"\n")
        #expect(unescaped.contains("plugins.cases.config.topic: is not a valid template"), "\(unescaped)")
        let typo = problems("      topic: \"{{titel}} {{severity}}\"\n")
        #expect(typo.contains("plugins.yaml:6:14: plugins.cases.config.topic: uses {{severity}}, {{titel}}, which a topic does not have"), "\(typo)")
    }

    @Test func badBookmarksAreNamedByTheirPlace() {
        let http = problems("      bookmarks:\n        - { title: Guide, url: \"https://wiki.test/g\" }\n        - { title: Runbook, url: \"http://wiki.test/r\" }\n")
        #expect(http.contains("plugins.yaml:8:"), "\(http)")
        #expect(http.contains("plugins.cases.config.bookmarks[1].url: must be an https:// URL"), "\(http)")
        let untitled = problems("      bookmarks:\n        - { title: \"\", url: \"https://wiki.test/g\" }\n")
        #expect(untitled.contains("plugins.cases.config.bookmarks[0].title: must be 1 to 256 characters"), "\(untitled)")
        let notAURL = problems("      bookmarks:\n        - { title: Guide, url: wiki }\n")
        #expect(notAURL.contains("plugins.cases.config.bookmarks[0].url"), "\(notAURL)")
        let loopback = try? load("      bookmarks:\n        - { title: Local, url: \"http://127.0.0.1:8080/guide\" }\n")
        #expect(loopback?.bookmarks == [ChannelBookmark(title: "Local", url: "http://127.0.0.1:8080/guide")])
    }

    @Test func emptyLinksAreSkippedAndOnlyRealOnesAskForTheScope() throws {
        let yaml = "      bookmarks:\n        - { title: Guide, url: \"${INCIDENT_GUIDE_LINK:-}\" }\n"
        let unset = try load(yaml)
        #expect(unset.bookmarks.isEmpty)
        #expect(!CasesPlugin.requirements(for: unset).scopes.contains("bookmarks:write"))
        let set = try load(yaml, ["INCIDENT_GUIDE_LINK": "https://wiki.test/guide"])
        #expect(set.bookmarks == [ChannelBookmark(title: "Guide", url: "https://wiki.test/guide")])
        #expect(CasesPlugin.requirements(for: set).scopes.contains("bookmarks:write"))
    }

    @Test func inviteOnOpenMustBeAGroupID() throws {
        #expect(try load("      invite_on_open: S0ONCALL\n").inviteOnOpen == "S0ONCALL")
        let handle = problems("      invite_on_open: \"@oncall\"\n")
        #expect(handle.contains("plugins.yaml:6:23: plugins.cases.config.invite_on_open: must be a user group id (S…"), "\(handle)")
    }
}
