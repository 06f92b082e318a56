import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// The war-room checklist (#18 point 5): posted and pinned on escalation, ticked by channel members
/// with who and when on the message and the timeline, posted again by `/case checklist`, counted in
/// `/case status`, extended per severity, and kept across a restart.
@Suite struct ChecklistTests {
    static let builtInItems = [
        "Take command (claim the commander role on the control panel)",
        "Set the severity and the status on the control panel",
        "Assign a communications liaison and a technical lead",
        "Post the first status update (`/case update`)",
        "Add the alerts and messages that show the problem as evidence",
        "Say every change made to production in this channel",
        "Confirm the fix with the people who reported the problem",
    ]

    static func checklist(_ host: TestHost, _ channel: String) -> StoredMessage? {
        RolesHarness.messages(host, in: channel).first { $0.text.hasPrefix("Incident checklist") }
    }

    /// The checkbox options of the checklist message, in order: (value, text, description, ticked).
    static func boxes(_ message: StoredMessage) -> [(key: String, text: String, description: String?, ticked: Bool)] {
        message.blocks.filter { $0["type"]?.string == "actions" }.flatMap { block -> [(key: String, text: String, description: String?, ticked: Bool)] in
            let element = block["elements"]?[0] ?? .null
            let ticked = Set((element["initial_options"]?.array ?? []).compactMap { $0["value"]?.string })
            return (element["options"]?.array ?? []).map { option in
                let key = option["value"]?.string ?? ""
                return (key, option["text"]?["text"]?.string ?? "", option["description"]?["text"]?.string, ticked.contains(key))
            }
        }
    }

    /// Clicks the box of `item` as `user`, as Slack sends it: every box of that group ticked after the click.
    static func click(_ host: TestHost, _ channel: String, _ item: String, as user: String) async throws {
        let message = try #require(checklist(host, channel))
        let key = Checklist.key(item)
        let block = try #require(message.blocks.first { $0["block_id"]?.string?.contains(key) == true }, "no box for \(item)")
        try await host.deliver(try host.simulator.blockAction(
            user: user, in: .message(channel: channel, ts: message.ts), actionID: ChecklistMessage.tickActionID.wire,
            blockID: block["block_id"]?.string, selectedOption: key))
        try await host.settleJobs()
    }

    static func headline(_ host: TestHost, _ channel: String) -> String {
        checklist(host, channel).map { RolesHarness.text($0) } ?? ""
    }

    static func manifestSubcommands(_ host: TestHost) throws -> [String] {
        CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry).subcommands.map(\.name)
    }

    static func incidentWithChecklist(_ host: TestHost) async throws -> String {
        let channel = try await RolesHarness.incident(host)
        try await host.waitUntil("the checklist") { checklist(host, channel) != nil }
        return channel
    }

    @Test func builtInChecklistIsIdenticalToTheTemplateAndOnByDefault() throws {
        let template = try String(contentsOf: LiteratureTests.repository.appendingPathComponent("templates/checklist.yaml"), encoding: .utf8)
        #expect(template == Checklist.builtInYAML + "\n")
        let configuration = try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0DIGEST")
        let checklist = try #require(configuration.checklist)
        #expect(checklist.items == Self.builtInItems)
        #expect(checklist.items(for: "sev1").count == 10 && checklist.items(for: "sev4").count == 7)
        let off = try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0\nchecklist: false\nchecklist_file: x.yaml")
        #expect(off.checklist == nil)
    }

    @Test func escalationPostsAndPinsTheChecklist() async throws {
        try await RolesHarness.run { host in
            let channel = try await Self.incidentWithChecklist(host)
            let message = try #require(Self.checklist(host, channel))
            #expect(host.simulator.channel(channel)?.pins.contains(message.ts) == true)
            #expect(Self.boxes(message).map(\.text) == Self.builtInItems)
            #expect(Self.boxes(message).allSatisfy { !$0.ticked && $0.description == nil })
            #expect(RolesHarness.text(message).contains("0 of 7 done"))
            #expect(try Self.manifestSubcommands(host).contains("checklist"))
            // The escalation job ran once even though the severity event also refreshes the list.
            #expect(RolesHarness.messages(host, in: channel).filter { $0.text.hasPrefix("Incident checklist") }.count == 1)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*Checklist:* 0/7 done") == true, "\(status?.allText ?? "")")
        }
    }

    @Test func tickingUpdatesTheMessageForEveryoneAndTheTimeline() async throws {
        try await RolesHarness.run { host in
            let channel = try await Self.incidentWithChecklist(host)
            let ts = try #require(Self.checklist(host, channel)).ts
            try await Self.click(host, channel, Self.builtInItems[0], as: "alice")
            try await host.join("bob", channel)
            try await Self.click(host, channel, Self.builtInItems[3], as: "bob")

            let message = try #require(Self.checklist(host, channel))
            #expect(message.ts == ts, "updated in place, not posted again")
            let boxes = Self.boxes(message)
            #expect(boxes[0].ticked && boxes[0].description?.contains("<@U0ALICE>") == true)
            #expect(boxes[3].ticked && boxes[3].description?.contains("<@U0BOB>") == true)
            #expect(boxes[3].description?.contains("<!date^") == true)
            #expect(boxes.filter(\.ticked).count == 2)
            #expect(RolesHarness.text(message).contains("2 of 7 done"))

            let audit = try await host.app.database.auditEntries().filter { $0.action == "roles.checklist_ticked" }
            #expect(audit.map(\.actor) == ["U0ALICE", "U0BOB"])
            #expect(audit.last?.details["summary"]?.string == "ticked ✅ “Post the first status update (`/case update`)” on the checklist")
            let status = try await host.slash("status", as: "bob", in: channel)
            #expect(status?.allText.contains("*Checklist:* 2/7 done") == true)
            #expect(status?.allText.contains("<@U0BOB> ticked ✅ “Post the first status update") == true)

            // Unticking is recorded too, and the box empties for everyone.
            try await Self.click(host, channel, Self.builtInItems[0], as: "bob")
            let after = Self.boxes(try #require(Self.checklist(host, channel)))
            #expect(!after[0].ticked && after[0].description == nil && after[3].ticked)
            let untick = try await host.app.database.auditEntries().filter { $0.action == "roles.checklist_unticked" }
            #expect(untick.map(\.actor) == ["U0BOB"])
            #expect(try await host.slash("status", as: "bob", in: channel)?.allText.contains("*Checklist:* 1/7 done") == true)
        }
    }

    @Test func aTickFromOutsideTheChannelIsRefusedPrivatelyAndChangesNothing() async throws {
        try await RolesHarness.run { host in
            let channel = try await Self.incidentWithChecklist(host)
            let before = try await AuthorityTests.footprint(host, channel)
            let message = try #require(Self.checklist(host, channel))
            try await Self.click(host, channel, Self.builtInItems[1], as: "carol")
            try await host.waitUntil("carol's answer") { !host.simulator.ephemeralMessages(for: "carol", in: channel).isEmpty }
            #expect(host.simulator.ephemeralMessages(for: "carol", in: channel).last?.text.contains("Only members of <#\(channel)>") == true)
            #expect(try await AuthorityTests.footprint(host, channel) == before)
            #expect(Self.checklist(host, channel) == message)
            #expect(try await host.slash("status", as: "carol", in: channel)?.allText.contains("*Checklist:* 0/7 done") == true)
        }
    }

    @Test func checklistCommandPostsItAgainAtTheBottom() async throws {
        try await RolesHarness.run { host in
            let channel = try await Self.incidentWithChecklist(host)
            let old = try #require(Self.checklist(host, channel))
            try await Self.click(host, channel, Self.builtInItems[2], as: "alice")
            try host.simulator.postAsUser("alice", channel: channel, text: "Rolling back now")
            let reply = try await host.slash("checklist", as: "alice", in: channel)
            #expect(reply?.text.contains("posted again below and pinned (1/7 done)") == true, "\(reply?.text ?? "")")
            try await host.settleJobs()

            let messages = RolesHarness.messages(host, in: channel)
            let copies = messages.filter { $0.text.hasPrefix("Incident checklist") }
            #expect(copies.count == 1, "the old copy is deleted")
            let new = try #require(copies.first)
            #expect(new.ts != old.ts && messages.last?.ts == new.ts)
            let pins = host.simulator.channel(channel)?.pins ?? []
            #expect(pins.contains(new.ts) && !pins.contains(old.ts))
            #expect(Self.boxes(new)[2].ticked && Self.boxes(new)[2].description?.contains("<@U0ALICE>") == true)
            // The new copy is the one kept up to date.
            try await Self.click(host, channel, Self.builtInItems[4], as: "alice")
            #expect(RolesHarness.text(try #require(Self.checklist(host, channel))).contains("2 of 7 done"))

            let extra = try await host.slash("checklist now", as: "alice", in: channel)
            #expect(extra?.text.contains("Usage: `/case checklist`") == true)
            let elsewhere = try await host.slash("checklist", as: "alice", in: "general")
            #expect(elsewhere?.text.contains("inside a case channel") == true)
            let investigation = try await CasesHarness.open(host, "Slow search").id
            let early = try await host.slash("checklist", as: "alice", in: investigation)
            #expect(early?.text.contains("not an incident yet") == true)
            #expect(Self.checklist(host, investigation) == nil)
            #expect(try await host.slash("checklist", as: "carol", in: channel)?.text.contains("Only members of") == true)
        }
    }

    @Test func checklistFalsePostsNothing() async throws {
        try await RolesHarness.run(config: RolesHarness.config(roles: "checklist: false")) { host in
            let channel = try await RolesHarness.incident(host)
            try await host.settleJobs()
            #expect(Self.checklist(host, channel) == nil)
            #expect(try await host.slash("help", as: "alice", in: channel)?.text.contains("checklist") == false)
            #expect(try !Self.manifestSubcommands(host).contains("checklist"), "the manifest declares only what is enabled")
            #expect(try await host.slash("checklist", as: "alice", in: channel)?.text.contains("Unknown subcommand") == true)
            #expect(try await host.slash("status", as: "alice", in: channel)?.allText.contains("Checklist") == false)
        }
    }

    @Test func severityItemsAppearWhenTheSeverityChanges() async throws {
        let folder = try LiteratureTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("checklist.yaml")
        try """
            items:
              - Open the bridge
              - Post an update
            severities:
              sev1:
                - Page the VP
                - Post an update every 30 minutes
              sev2:
                - Tell support
            """.write(to: file, atomically: true, encoding: .utf8)
        try await RolesHarness.run(config: RolesHarness.config(roles: "checklist_file: \(file.path)")) { host in
            let channel = try await Self.incidentWithChecklist(host)
            #expect(Self.boxes(try #require(Self.checklist(host, channel))).map(\.text) == ["Open the bridge", "Post an update"])
            try await host.slash("severity sev1", as: "alice", in: channel)
            try await host.settleJobs()
            let sev1 = Self.boxes(try #require(Self.checklist(host, channel))).map(\.text)
            #expect(sev1 == ["Open the bridge", "Post an update", "Page the VP", "Post an update every 30 minutes"])
            try await Self.click(host, channel, "Page the VP", as: "alice")

            // At SEV2 the SEV1 items go, except the one already done.
            try await host.slash("severity sev2", as: "alice", in: channel)
            try await host.settleJobs()
            let sev2 = Self.boxes(try #require(Self.checklist(host, channel)))
            #expect(sev2.map(\.text) == ["Open the bridge", "Post an update", "Tell support", "Page the VP"])
            #expect(sev2.map(\.ticked) == [false, false, false, true])
            #expect(RolesHarness.text(try #require(Self.checklist(host, channel))).contains("Items for SEV2 included"))
            #expect(try await host.slash("status", as: "alice", in: channel)?.allText.contains("*Checklist:* 1/4 done") == true)
        }
    }

    @Test func moreThanTenItemsAreSplitIntoGroups() async throws {
        let folder = try LiteratureTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("checklist.yaml")
        try ("items:\n" + (1...12).map { "  - Step \($0)" }.joined(separator: "\n")).write(to: file, atomically: true, encoding: .utf8)
        try await RolesHarness.run(config: RolesHarness.config(roles: "checklist_file: \(file.path)")) { host in
            let channel = try await Self.incidentWithChecklist(host)
            let message = try #require(Self.checklist(host, channel))
            #expect(message.blocks.filter { $0["type"]?.string == "actions" }.count == 2)
            try await Self.click(host, channel, "Step 12", as: "alice")
            try await Self.click(host, channel, "Step 1", as: "alice")
            let boxes = Self.boxes(try #require(Self.checklist(host, channel)))
            #expect(boxes.filter(\.ticked).map(\.text) == ["Step 1", "Step 12"])
        }
    }

    @Test func aBadChecklistFileIsReportedWithItsPositions() throws {
        let folder = try LiteratureTests.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        func problems(_ text: String) throws -> [ConfigProblem] {
            let file = folder.appendingPathComponent("checklist-\(UUID().uuidString).yaml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let error = #expect(throws: ConfigurationErrors.self) {
                try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0\nchecklist_file: \(file.path)\n")
            }
            let found = try #require(error).problems
            #expect(found.allSatisfy { $0.file == file.path }, "\(found)")
            return found
        }

        let unknown = try #require(try problems("items:\n  - One\nseverities:\n  sev1: [Two]\n  sev7:\n    - Three\n").first)
        #expect(unknown.keyPath == "severities.sev7" && unknown.line == 6 && unknown.column == 5 && unknown.message.contains("sev1, sev2, sev3, sev4"), "\(unknown)")

        let long = String(repeating: "x", count: 76)
        let tooLong = try #require(try problems("items:\n  - One\n  - \(long)\n").first)
        #expect(tooLong.keyPath == "items[1]" && tooLong.line == 3 && tooLong.message.contains("75"))

        let twice = try #require(try problems("items: [One, Two]\nseverities:\n  sev2: [Three, One]\n").first)
        #expect(twice.keyPath == "severities.sev2[1]" && twice.message.contains("listed twice"))

        let empty = try #require(try problems("items: []\n").first)
        #expect(empty.keyPath == "items" && empty.message.contains("1 to 40"))

        let typo = try problems("items: [One]\nseverity:\n  sev1: [Two]\n")
        #expect(typo.contains { $0.line == 2 && $0.message.contains("unknown key 'severity'") }, "\(typo)")
    }

    /// Slack failing to update the message loses nothing: the tick is recorded, and a durable job
    /// updates the message once Slack answers again.
    @Test func aFailedUpdateIsRetriedByAJob() async throws {
        try await RolesHarness.run { host in
            let channel = try await Self.incidentWithChecklist(host)
            host.simulator.failWithServerError("chat.update", next: 1_000)
            try await Self.click(host, channel, Self.builtInItems[5], as: "alice")
            #expect(try await host.app.database.auditEntries().contains { $0.action == "roles.checklist_ticked" })
            // The Slack client retries the update a few times first; the click was acked meanwhile.
            let database = try host.app.database
            try await host.waitUntil("the update handed to a job") {
                try await database.listJobs(states: ["pending", "running"]).contains { $0.name == "checklist_sync" }
            }
            #expect(RolesHarness.text(try #require(Self.checklist(host, channel))).contains("0 of 7 done"))
            host.simulator.clearFaults()
            try await ReminderTests.advance(host, minutes: 10)
            try await host.settleJobs()
            let boxes = Self.boxes(try #require(Self.checklist(host, channel)))
            #expect(boxes[5].ticked && boxes[5].description?.contains("<@U0ALICE>") == true)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func checklistStateSurvivesARestart(_ backend: TestDatabase.Backend) async throws {
        try await RolesHarness.run(database: backend) { host in
            let channel = try await Self.incidentWithChecklist(host)
            try await Self.click(host, channel, Self.builtInItems[0], as: "alice")
            try await host.restart()
            #expect(try await host.slash("status", as: "alice", in: channel)?.allText.contains("*Checklist:* 1/7 done") == true)
            try await host.join("bob", channel)
            try await Self.click(host, channel, Self.builtInItems[1], as: "bob")
            let boxes = Self.boxes(try #require(Self.checklist(host, channel)))
            #expect(boxes[0].ticked && boxes[0].description?.contains("<@U0ALICE>") == true)
            #expect(boxes[1].ticked && boxes[1].description?.contains("<@U0BOB>") == true)
            let reply = try await host.slash("checklist", as: "alice", in: channel)
            #expect(reply?.text.contains("(2/7 done)") == true)
        }
    }
}
