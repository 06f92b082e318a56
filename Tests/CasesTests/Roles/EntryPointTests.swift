import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// The global shortcuts: "Start a case" (`cases.start`) and "Post an update" (`roles.post_update`),
/// driven through the simulator's ⚡ menu.
@Suite struct EntryPointTests {
    static func cases(_ host: TestHost) async throws -> [Case] {
        let storage = try host.app.database.storage(plugin: CasesPlugin.id) as any PluginStorage
        return try await storage.read { db in try await CaseStore.active(limit: 100, on: db) }
    }

    /// Opens the Start modal as `user` and submits it.
    @discardableResult
    static func start(
        _ host: TestHost, as user: String = "bob", description: String, incident: Bool = false, severity: String? = nil, opening: Bool = true
    ) async throws -> JSONValue? {
        if opening { try await host.globalShortcut(StartModal.callbackID.wire, as: user) }
        try await host.waitUntil("the Start modal") { host.simulator.topView(for: user)?.callbackID == StartModal.callbackID.wire }
        var values: [String: [String: String]] = [
            StartModal.descriptionBlock: [StartModal.descriptionBlock: description],
            StartModal.kindBlock: [StartModal.kindBlock: incident ? StartModal.incident : StartModal.investigation],
        ]
        if let severity { values[StartModal.severityBlock] = [StartModal.severityBlock: severity] }
        let answer = try await host.submitTopView(as: user, values: values)
        try await host.settleJobs()
        return answer
    }

    static func viewText(_ host: TestHost, _ user: String) -> String {
        SlackReply(text: "", blocks: host.simulator.topView(for: user)?.blocks ?? []).allText
    }

    @Test func startingACaseOpensAnInvestigationAsCaseOpenDoes() async throws {
        try await RolesHarness.run { host in
            try await host.globalShortcut(StartModal.callbackID.wire, as: "bob")
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "bob")?.callbackID == StartModal.callbackID.wire }
            let blocks = try #require(host.simulator.topView(for: "bob")).blocks.compactMap { $0["block_id"]?.string }
            #expect(blocks == [StartModal.descriptionBlock, StartModal.kindBlock, StartModal.severityBlock])

            try await Self.start(host, description: "Checkout  errors", opening: false)
            let item = try #require(try await Self.cases(host).first)
            #expect(item.title == "Checkout errors" && item.status == .investigating && item.openedBy == "U0BOB")
            let channel = try #require(host.simulator.channel(item.channelID))
            #expect(channel.name.hasPrefix("case-") && channel.name.contains("checkout") && channel.members.contains("U0BOB"))
            #expect(CasesHarness.messages(host, in: "C0INCIDENTS").contains { CasesHarness.text($0).contains("<#\(item.channelID)>") })
            #expect(try await CasesHarness.auditActions(host) == ["case.opened"])
            // The modal now says where the case is.
            #expect(host.simulator.topView(for: "bob")?.callbackID == "cases.start.done")
            #expect(Self.viewText(host, "bob").contains("<#\(item.channelID)>"))
        }
    }

    @Test func anIncidentAlreadyIsEscalatedWithTheSubmitterAsCommanderAndTheSeverity() async throws {
        try await RolesHarness.run { host in
            try await Self.start(host, as: "carol", description: "Payments down", incident: true, severity: "sev2")
            let item = try #require(try await Self.cases(host).first)
            #expect(item.status == .escalated && item.commander == "U0CAROL" && item.escalatedBy == "U0CAROL")
            try await host.waitUntil("the severity") { try await RolesHarness.incidentRow(host, channel: item.channelID)?.severity == "sev2" }
            try await host.waitUntil("the control panel") { RolesHarness.panel(host, item.channelID) != nil }
            #expect(try await CasesHarness.auditActions(host) == ["case.opened", "case.escalated"])
            #expect(host.simulator.topView(for: "carol")?.callbackID == "cases.start.done")
            #expect(Self.viewText(host, "carol").contains("you are its commander"))
            // The digest follows the severity through its own job.
            try await host.waitUntil("the digest at SEV2") {
                RolesHarness.digestMessages(host).first.map { RolesHarness.text($0).contains("SEV2") } ?? false
            }
        }
    }

    @Test func anEmptyDescriptionIsAFieldErrorAndOpensNothing() async throws {
        try await RolesHarness.run { host in
            let before = host.simulator.conversations.count
            let answer = try await Self.start(host, description: "   ", incident: true)
            #expect(answer?["response_action"]?.string == "errors")
            #expect(answer?["errors"]?[StartModal.descriptionBlock]?.string?.contains("Describe") == true)
            #expect(host.simulator.topView(for: "bob")?.callbackID == StartModal.callbackID.wire, "the modal stays open")
            #expect(host.simulator.conversations.count == before)
            #expect(try await Self.cases(host).isEmpty)
            #expect(try await host.app.database.auditEntries().isEmpty)

            let long = try await Self.start(host, description: String(repeating: "x", count: CasesPlugin.maximumTitleLength + 1))
            #expect(long?["errors"]?[StartModal.descriptionBlock] != nil)
            #expect(try await Self.cases(host).isEmpty)
        }
    }

    @Test func withoutTheRolesPluginThereIsNoSeverityAndNoUpdateShortcut() async throws {
        try await CasesHarness.run { host in
            try await host.globalShortcut(StartModal.callbackID.wire, as: "alice")
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "alice")?.callbackID == StartModal.callbackID.wire }
            let blocks = try #require(host.simulator.topView(for: "alice")).blocks.compactMap { $0["block_id"]?.string }
            #expect(blocks == [StartModal.descriptionBlock, StartModal.kindBlock])
            let manifest = CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)
            let global = manifest.shortcuts.filter { $0.kind == .global }.map(\.callbackID)
            #expect(global == ["cases.start"])
        }
        try await RolesHarness.run { host in
            let manifest = CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)
            #expect(Set(manifest.shortcuts.filter { $0.kind == .global }.map(\.callbackID)) == ["cases.start", "roles.post_update"])
        }
    }

    @Test func postAnUpdateListsOpenIncidentsNewestFirstAndPostsToTheChosenOne() async throws {
        try await RolesHarness.run { host in
            let older = try await RolesHarness.incident(host, "Older incident")
            try await host.advance(by: .seconds(60))
            _ = try await CasesHarness.open(host, "Only an investigation")
            try await host.advance(by: .seconds(60))
            let resolved = try await RolesHarness.incident(host, "Resolved incident")
            try await host.slash("resolve", as: "alice", in: resolved)
            try await host.advance(by: .seconds(60))
            let newer = try await RolesHarness.incident(host, "Newer incident", commander: "bob")
            try await host.settleJobs()

            try await host.globalShortcut(PostUpdateModal.callbackID.wire, as: "carol")
            try await host.waitUntil("the update modal") { host.simulator.topView(for: "carol")?.callbackID == PostUpdateModal.callbackID.wire }
            let view = try #require(host.simulator.topView(for: "carol"))
            #expect(view.blocks.compactMap { $0["block_id"]?.string }
                == [PostUpdateModal.incidentBlock, UpdateModal.impactBlock, UpdateModal.componentsBlock, UpdateModal.textBlock])
            let options = view.blocks.first?["element"]?["options"]?.array ?? []
            let olderID = try await RolesHarness.caseID(host, channel: older)
            let newerID = try await RolesHarness.caseID(host, channel: newer)
            #expect(options.compactMap { $0["value"]?.string } == [newerID, olderID])

            let digestBefore = RolesHarness.digestMessages(host)
            try await host.submitTopView(as: "carol", values: [
                PostUpdateModal.incidentBlock: [PostUpdateModal.incidentBlock: olderID],
                UpdateModal.impactBlock: [UpdateModal.impactBlock: "Slow checkouts"],
                UpdateModal.textBlock: [UpdateModal.textBlock: "Cache warmed; watching."],
            ])
            try await host.settleJobs()
            #expect(RolesHarness.allText(host, in: older).contains("Cache warmed; watching."))
            #expect(!RolesHarness.allText(host, in: newer).contains("Cache warmed"))
            let digest = try #require(digestBefore.first { RolesHarness.text($0).contains("<#\(older)>") })
            let thread = RolesHarness.messages(host, in: RolesHarness.digest).filter { $0.threadTS == digest.ts }
            #expect(thread.count == 1 && thread.first.map(RolesHarness.text)?.contains("Slow checkouts") == true)
            let entry = try #require(try await host.app.database.auditEntries().first { $0.action == "roles.update_posted" })
            #expect(entry.subject == olderID && entry.actor == "U0CAROL")
        }
    }

    @Test func refusalsAreInTheModalAndChangeNothing() async throws {
        try await RolesHarness.run { host in
            // No open incident: the modal says so and offers nothing to submit.
            try await host.globalShortcut(PostUpdateModal.callbackID.wire, as: "carol")
            try await host.waitUntil("the modal") { host.simulator.topView(for: "carol") != nil }
            #expect(host.simulator.topView(for: "carol")?.callbackID == "roles.post_update.none")
            #expect(Self.viewText(host, "carol").contains("no open incidents"))

            // The incident is resolved while the modal is open: the submission is refused on the field.
            let channel = try await RolesHarness.incident(host, "Queue backlog")
            let caseID = try await RolesHarness.caseID(host, channel: channel)
            try await host.globalShortcut(PostUpdateModal.callbackID.wire, as: "bob")
            try await host.waitUntil("the update modal") { host.simulator.topView(for: "bob")?.callbackID == PostUpdateModal.callbackID.wire }
            try await host.slash("resolve", as: "alice", in: channel)
            try await host.slash("close", as: "alice", in: channel)
            try await host.settleJobs()
            let messages = host.simulator.conversations.map { host.simulator.messages(in: $0.id).count }
            let audit = try await host.app.database.auditEntries().count
            let refused = try await host.submitTopView(as: "bob", values: [
                PostUpdateModal.incidentBlock: [PostUpdateModal.incidentBlock: caseID],
                UpdateModal.impactBlock: [UpdateModal.impactBlock: "None"],
                UpdateModal.textBlock: [UpdateModal.textBlock: "All good."],
            ])
            try await host.settleJobs()
            #expect(refused?["errors"]?[PostUpdateModal.incidentBlock]?.string?.contains("closed") == true)
            #expect(host.simulator.conversations.map { host.simulator.messages(in: $0.id).count } == messages, "no message anywhere, no DM")
            #expect(try await host.app.database.auditEntries().count == audit)

            // A missing choice is a field error too.
            let missing = try await host.submitTopView(as: "bob", values: [
                UpdateModal.impactBlock: [UpdateModal.impactBlock: "None"], UpdateModal.textBlock: [UpdateModal.textBlock: "x"],
            ])
            #expect(missing?["errors"]?[PostUpdateModal.incidentBlock] != nil)
        }
    }
}
