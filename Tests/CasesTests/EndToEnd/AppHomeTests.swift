import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// The App Home (`home_tab: true`), through the simulator: opening the tab publishes the open cases
/// and the viewer's own, case changes republish it once per burst, and "Start a case" opens the
/// Start modal.
@Suite struct AppHomeTests {
    static let config = CasesHarness.config(extra: "      home_tab: true")

    /// The roles harness's configuration with the Cases plugin's Home tab on.
    static func rolesConfig() -> String {
        RolesHarness.config().replacingOccurrences(
            of: "notifications_channel: C0INCIDENTS", with: "notifications_channel: C0INCIDENTS\n      home_tab: true")
    }

    /// Opens the Home tab as `user` and waits for the view the app publishes in answer.
    @discardableResult
    static func openHome(_ host: TestHost, as user: String) async throws -> StoredView {
        let before = publishes(host, to: user)
        try await host.openHome(as: user)
        try await host.waitUntil("the Home tab of \(user)") { publishes(host, to: user) > before && host.simulator.homeView(for: user) != nil }
        return try #require(host.simulator.homeView(for: user))
    }

    /// `views.publish` calls that reached `user`'s Home.
    static func publishes(_ host: TestHost, to user: String) -> Int {
        host.simulator.calls(to: "views.publish").filter { $0.arguments["user_id"]?.string == host.userID(user) && $0.outcome == .ok }.count
    }

    static func text(_ blocks: [JSONValue]) -> String { SlackReply(text: "", blocks: blocks).allText }

    /// The blocks after the "Your recent cases" header.
    static func ownSection(_ view: StoredView) -> String {
        let index = view.blocks.firstIndex { $0["text"]?["text"]?.string == "Your recent cases" } ?? view.blocks.endIndex
        return text(Array(view.blocks[index...]))
    }

    static func openSection(_ view: StoredView) -> String {
        let index = view.blocks.firstIndex { $0["text"]?["text"]?.string == "Your recent cases" } ?? view.blocks.endIndex
        return text(Array(view.blocks[..<index]))
    }

    @Test func openingTheHomeTabShowsTheOpenCasesAndTheUsersOwn() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let closed = try await CasesHarness.open(host, "Old certificate warning")
            #expect(try await host.slash("close", as: "alice", in: closed.id)?.text.contains("Closed") == true)
            try await host.advance(by: .seconds(60))
            let mine = try await CasesHarness.open(host, "API latency up")
            try await host.slash("incident", as: "alice", in: mine.id)
            try await host.advance(by: .seconds(60))
            let bobs = try await CasesHarness.open(host, "Disk full on db-1", as: "bob")
            try await host.settleJobs()

            let home = try await Self.openHome(host, as: "alice")
            #expect(home.type == "home" && home.callbackID == HomeTab.callbackID.wire)
            let open = Self.openSection(home)
            // Newest first, each with its status, commander, age and a link to its channel.
            let bobsLine = try #require(open.range(of: "<#\(bobs.id)>"))
            let mineLine = try #require(open.range(of: "<#\(mine.id)>"))
            #expect(bobsLine.lowerBound < mineLine.lowerBound)
            #expect(open.contains("*API latency up*\nIncident · commander <@U0ALICE> · 1m old"))
            #expect(open.contains("*Disk full on db-1*\nInvestigating · 0s old"))
            #expect(open.contains("2 open cases* · 1 incident"))
            #expect(!open.contains("Old certificate warning"), "closed cases are not open")
            #expect(!open.contains("SEV"), "without the roles plugin there is no severity")
            // Alice's own cases: the closed one too, not Bob's.
            let own = Self.ownSection(home)
            #expect(own.contains("<#\(mine.id)>") && own.contains("<#\(closed.id)>") && own.contains("Closed · closed 2m ago"))
            #expect(!own.contains("<#\(bobs.id)>"))
            // A Start button, and Bob's Home lists his case as his own, not Alice's investigation.
            #expect(home.blocks.contains { $0["elements"]?.array?.first?["action_id"]?.string == HomeTab.startAction.wire })
            let bobsHome = try await Self.openHome(host, as: "bob")
            #expect(Self.ownSection(bobsHome).contains("<#\(bobs.id)>") && !Self.ownSection(bobsHome).contains("<#\(closed.id)>"))
        }
    }

    @Test func aBurstOfCaseChangesRefreshesTheHomeTabOnce() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            try await Self.openHome(host, as: "alice")
            try await Self.openHome(host, as: "carol")
            #expect(Self.publishes(host, to: "alice") == 1)

            let channel = try await CasesHarness.open(host, "Checkout errors", as: "bob")
            try await host.join("bob", channel.id)
            try await host.slash("incident", as: "bob", in: channel.id)
            try await host.slash("resolve", as: "bob", in: channel.id)
            try await host.settleJobs()
            // The refresh waits a few seconds for the rest of the burst.
            #expect(Self.publishes(host, to: "alice") == 1)
            let pending = try await host.app.database.listJobs(states: ["pending"]).filter { $0.name == "home_refresh" }
            #expect(pending.count == 1)

            try await host.advance(by: .seconds(5))
            try await host.waitUntil("the refresh") { Self.publishes(host, to: "alice") == 2 && Self.publishes(host, to: "carol") == 2 }
            let home = try #require(host.simulator.homeView(for: "alice"))
            #expect(Self.openSection(home).contains("*Checkout errors*\nResolved · commander <@U0BOB>"))
            #expect(Self.publishes(host, to: "bob") == 0, "only people who opened the Home tab are republished")

            // Nothing else is pending: the burst made one refresh, and the next change makes one more.
            try await host.advance(by: .seconds(60))
            #expect(Self.publishes(host, to: "alice") == 2)
            try await host.slash("close", as: "bob", in: channel.id)
            try await host.settleJobs()
            try await host.advance(by: .seconds(5))
            try await host.waitUntil("the second refresh") { Self.publishes(host, to: "alice") == 3 }
            let after = try #require(host.simulator.homeView(for: "alice"))
            #expect(Self.openSection(after).contains("No open investigations or incidents"))
        }
    }

    @Test(arguments: TestDatabase.backends)
    func theRefreshSurvivesARestartAndSkipsPeopleAwayForAMonth(_ database: TestDatabase.Backend) async throws {
        try await CasesHarness.run(config: Self.config, database: database) { host in
            try await Self.openHome(host, as: "carol")
            try await host.advance(by: .seconds(31 * 86_400))
            try await Self.openHome(host, as: "alice")
            _ = try await CasesHarness.open(host, "Queue backlog", as: "bob")
            try await host.settleJobs()
            try await host.restart()
            try await host.advance(by: .seconds(5))
            try await host.waitUntil("the refresh") { Self.publishes(host, to: "alice") == 2 }
            #expect(Self.openSection(try #require(host.simulator.homeView(for: "alice"))).contains("Queue backlog"))
            #expect(Self.publishes(host, to: "carol") == 1, "carol has not opened the Home tab for 31 days")
        }
    }

    @Test func startACaseOnTheHomeTabOpensTheStartModal() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let home = try await Self.openHome(host, as: "bob")
            try await host.deliver(try host.simulator.blockAction(user: "bob", in: .view(id: home.id), actionID: HomeTab.startAction.wire))
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "bob")?.callbackID == StartModal.callbackID.wire }
            let blocks = try #require(host.simulator.topView(for: "bob")).blocks.compactMap { $0["block_id"]?.string }
            #expect(blocks == [StartModal.descriptionBlock, StartModal.kindBlock])
            // Submitting it opens the case exactly as the shortcut does.
            try await EntryPointTests.start(host, as: "bob", description: "Search is slow", opening: false)
            let item = try #require(try await EntryPointTests.cases(host).first)
            #expect(item.title == "Search is slow" && item.openedBy == "U0BOB")
        }
    }

    @Test func guestsAndExternalPeopleSeeNoCaseOnTheirHomeAndGetNoMessage() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let channel = try await CasesHarness.open(host, "Secret project leak")
            try await host.settleJobs()
            for person in ["dave", "erin"] {
                let home = try await Self.openHome(host, as: person)
                let text = Self.text(home.blocks)
                #expect(text.contains("members of this workspace only"))
                #expect(!text.contains("Secret project") && !text.contains(channel.id))
                #expect(!home.blocks.contains { $0["type"]?.string == "actions" }, "no Start button")
            }
            let posts = host.simulator.calls(to: "chat.postMessage").map { $0.arguments["channel"]?.string ?? "" }
            #expect(!posts.contains { $0.hasPrefix("D") || $0 == "U0DAVE" || $0 == "U0ERIN" }, "a refusal sends no DM")
            // They are not republished when cases change.
            _ = try await CasesHarness.open(host, "Another one")
            try await host.settleJobs()
            try await host.advance(by: .seconds(5))
            #expect(Self.publishes(host, to: "dave") == 1 && Self.publishes(host, to: "erin") == 1)
        }
    }

    /// A viewer who becomes a guest sees the restricted tab at once (`user_change`), and case
    /// changes no longer republish the full one to them; a profile change of a member changes nothing.
    @Test func aViewerWhoBecomesAGuestLosesTheCasesAtOnce() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let channel = try await CasesHarness.open(host, "Secret project leak")
            try await host.settleJobs()
            #expect(Self.text(try await Self.openHome(host, as: "bob").blocks).contains("Secret project"))
            _ = try await Self.openHome(host, as: "carol")

            let publishedToCarol = Self.publishes(host, to: "carol")
            try await host.deliver(try host.simulator.changeUser("carol") { $0.realName = "Carol C." })
            #expect(Self.publishes(host, to: "carol") == publishedToCarol, "a member's profile change publishes nothing")

            let publishedToBob = Self.publishes(host, to: "bob")
            try await host.deliver(try host.simulator.changeUser("bob") { $0.isRestricted = true })
            #expect(Self.publishes(host, to: "bob") == publishedToBob + 1)
            let restricted = Self.text(try #require(host.simulator.homeView(for: "bob")).blocks)
            #expect(restricted.contains("members of this workspace only"))
            #expect(!restricted.contains("Secret project") && !restricted.contains(channel.id))

            // The next case change republishes carol's tab, not bob's.
            _ = try await CasesHarness.open(host, "Another one")
            try await host.settleJobs()
            try await host.advance(by: .seconds(5))
            try await host.settleJobs()
            #expect(Self.publishes(host, to: "bob") == publishedToBob + 1)
            #expect(Self.publishes(host, to: "carol") > publishedToCarol)
            #expect(Self.text(try #require(host.simulator.homeView(for: "carol")).blocks).contains("Another one"))
        }
    }

    @Test func withHomeTabOffNothingIsPublishedAndTheManifestHasNoHomeTab() async throws {
        try await CasesHarness.run { host in
            let manifest = CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)
            #expect(!manifest.homeTab && manifest.events.isDisjoint(with: ["app_home_opened", "user_change"]))
            let rendered = try ManifestRenderer.render(manifest, mode: .socketMode)
            #expect(rendered["features"]?["app_home"] == nil)
            // Slack would not send the event; a stray one changes nothing.
            try await host.deliver(host.simulator.event(["type": "app_home_opened", "user": "U0ALICE", "tab": "home", "channel": "D0ALICE"]))
            _ = try await CasesHarness.open(host, "Quiet")
            try await host.settleJobs()
            try await host.advance(by: .seconds(10))
            #expect(host.simulator.calls(to: "views.publish").isEmpty)
            #expect(try await host.app.database.listJobs().allSatisfy { $0.name != "home_refresh" })
        }
        try await CasesHarness.run(config: Self.config) { host in
            let manifest = CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)
            #expect(manifest.homeTab && manifest.events.isSuperset(of: ["app_home_opened", "user_change"]))
            let rendered = try ManifestRenderer.render(manifest, mode: .socketMode)
            #expect(rendered["features"]?["app_home"]?["home_tab_enabled"] == true)
            #expect(rendered["settings"]?["event_subscriptions"]?["bot_events"]?.array?.contains("app_home_opened") == true)
        }
    }

    @Test func theMessagesTabPublishesNothing() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            try await host.deliver(try host.simulator.appHomeOpened(user: "alice", tab: "messages"))
            try await host.settleJobs()
            #expect(host.simulator.calls(to: "views.publish").isEmpty)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func withTheRolesPluginIncidentsShowTheirSeverity(_ database: TestDatabase.Backend) async throws {
        try await RolesHarness.run(config: Self.rolesConfig(), database: database) { host in
            try await EntryPointTests.start(host, as: "carol", description: "Payments down", incident: true, severity: "sev2")
            let item = try #require(try await EntryPointTests.cases(host).first)
            try await host.waitUntil("the severity") { try await RolesHarness.incidentRow(host, channel: item.channelID)?.severity == "sev2" }
            _ = try await CasesHarness.open(host, "Just looking")
            try await host.settleJobs()
            let home = try await Self.openHome(host, as: "carol")
            let open = Self.openSection(home)
            #expect(open.contains("*Payments down*\nIncident · SEV2 · commander <@U0CAROL>"))
            #expect(open.contains("*Just looking*\nInvestigating · 0s old"), "an investigation has no severity")
            #expect(Self.ownSection(home).contains("Incident · SEV2"))

            // A severity change (the roles plugin's) refreshes the tab too, debounced like a case change.
            let severity = try await host.slash("severity sev1", as: "carol", in: item.channelID)
            #expect(severity?.text.contains("SEV1") == true, "severity: \(severity?.text ?? "none")")
            try await host.settleJobs()
            #expect(Self.publishes(host, to: "carol") == 1)
            try await host.advance(by: .seconds(5))
            try await host.waitUntil("the refresh") { Self.publishes(host, to: "carol") == 2 }
            #expect(Self.openSection(try #require(host.simulator.homeView(for: "carol"))).contains("*Payments down*\nIncident · SEV1"))
        }
    }

    @Test func theHomeTabStaysWithinSlacksLimitsWithManyCases() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let open = (0..<HomeTab.openLimit).map { index in
            Case(id: "c\(index)", name: "case-\(index)", title: String(repeating: "t", count: 200), channelID: "C\(index)", openedBy: "U0ALICE", openedAt: now)
        }
        let text = try await TestHost.withRunning(.inProcess, plugins: [CasesPlugin.self], config: Self.config) { host in
            let view = HomeTab.make(open, total: 120, own: Array(open.prefix(HomeTab.ownLimit)), severities: [:], now: now, try Self.context(host))
            try view.validate()
            #expect(view.blocks.count <= BlockKitLimits.blocksPerModal)
            return Self.text(view.blocks.map(\.json))
        }
        #expect(text.contains("…and 80 more — `/case list` lists them."))
    }

    static func context(_ host: TestHost) throws -> PluginContext {
        try #require(try host.app.registry.plugin(CasesPlugin.id)).context
    }
}
