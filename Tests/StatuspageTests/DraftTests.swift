import CasebookTesting
import Testing
@testable import RolesPlugin
@testable import StatuspagePlugin

/// Point 2: drafting opens a modal at once, lists the components when it can, and posts exactly
/// what would be published — without sending anything to Statuspage.
@Suite struct DraftTests {
    @Test func theCommandOpensAPrefilledModalAndTheDraftIsPostedWithItsButtons() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host, "Checkout errors")
            let view = try await StatuspageHarness.openModal(host, channel)
            let modal = StatuspageHarness.viewText(view)
            for name in ["API", "Checkout", "Webhooks", "Dashboard"] { #expect(modal.contains(name)) }
            let nameInput = view.blocks.first { $0["block_id"]?.string == DraftModal.nameBlock }
            #expect(nameInput?["element"]?["initial_value"]?.string == "Checkout errors")
            #expect(nameInput?["element"]?["max_length"] == 255)
            let bodyInput = view.blocks.first { $0["block_id"]?.string == DraftModal.bodyBlock }
            #expect(bodyInput?["element"]?["max_length"] == 3000)
            let statuses = view.blocks.first { $0["block_id"]?.string == DraftModal.statusBlock }?["element"]?["options"]?.array?.compactMap { $0["value"]?.string }
            #expect(statuses == ["investigating", "identified", "monitoring", "resolved"])

            try await StatuspageHarness.submit(
                host, as: "alice", status: "identified", body: "Card payments fail for some customers.",
                components: [StatuspageHarness.checkout: "partial_outage"])
            let draft = try await StatuspageHarness.latestDraft(host, channel)
            let text = StatuspageHarness.text(draft)
            #expect(text.contains("awaiting approval"))
            #expect(text.contains("Checkout errors") && text.contains("Identified") && text.contains("Card payments fail for some customers."))
            #expect(text.contains("Checkout → Partial outage"))
            #expect(text.contains("the incident commander (<@U0ALICE>)"))
            #expect(StatuspageHarness.actionIDs(draft) == ["statuspage.approve", "statuspage.discard", "statuspage.edit"])
            let approve = draft.blocks.compactMap { $0["elements"]?.array }.flatMap { $0 }.first { $0["action_id"] == "statuspage.approve" }
            #expect(approve?["confirm"]?["title"]?["text"]?.string == "Publish to the status page?")

            // Drafting sent nothing but the component listing.
            #expect(fake.service.received.allSatisfy { $0.method == "GET" && $0.path.hasSuffix("/components") })
            #expect(fake.incidents.isEmpty)
            #expect(try await StatuspageHarness.statuspageAudit(host) == ["statuspage.approval_proposed"])
        }
    }

    @Test func theModalOpensAtOnceAndWorksWithoutComponentsWhenStatuspageIsDown() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            // Statuspage's first answer would come after 20 s (and list the components), then it fails.
            fake.service.inject(.latency(.seconds(20)), count: 1) { $0.path.hasSuffix("/components") }
            fake.service.inject(.status(503), count: 5) { $0.path.hasSuffix("/components") }
            let command = try host.app.configuration.host.slashCommand
            try await host.deliver(try host.simulator.slashCommand(user: "alice", channel: channel, command: command, text: "statuspage"))
            // The modal is open long before Statuspage's answer could have arrived.
            try await host.waitUntil("the modal, before Statuspage answers", timeout: .seconds(15)) {
                host.simulator.topView(for: "alice")?.callbackID == DraftModal.callbackID.wire
            }
            // The listing gave up on the slow answer (which would have listed the components).
            let view = try await StatuspageHarness.filledModal(host, "alice")
            #expect(StatuspageHarness.viewText(view).contains("could not be listed"))
            try await StatuspageHarness.submit(host, as: "alice", status: "investigating", body: "Looking into it.")
            let draft = try await StatuspageHarness.latestDraft(host, channel)
            #expect(StatuspageHarness.text(draft).contains("*Components:* none"))
        }
    }

    @Test func componentsAreListedEveryPage() async throws {
        let many = (1...130).map { FakeStatuspage.Component(id: String(format: "cmp%09d", $0), name: "Component \($0)") }
        let fake = FakeStatuspage(pageID: FakeStatuspage.seededPageID, apiKeys: [FakeStatuspage.seededAPIKey], components: many)
        try await StatuspageHarness.run(fake) { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let view = try await StatuspageHarness.openModal(host, channel)
            #expect(fake.service.received.map { $0.queryValues("page") } == [["1"], ["2"]])
            let text = StatuspageHarness.viewText(view)
            #expect(text.contains("Only the first 40 of 130 components"))
        }
    }

    @Test func theControlPanelHasAStatusPageButtonThatOpensTheModal() async throws {
        try await StatuspageHarness.run { host, _ in
            let channel = try await StatuspageHarness.incident(host)
            let panel = try #require(StatuspageHarness.panel(host, channel))
            #expect(StatuspageHarness.actionIDs(panel).contains("statuspage.open_draft"))
            try await host.click("statuspage.open_draft", as: "bob", channel: channel, messageTS: panel.ts)
            let view = try await StatuspageHarness.filledModal(host, "bob")
            #expect(view.callbackID == DraftModal.callbackID.wire)
        }
    }

    @Test func withoutTheStatuspagePluginThePanelHasNoButton() async throws {
        try await StatuspageHarness.run(environment: [:]) { host, _ in
            let channel = try await StatuspageHarness.incident(host)
            let panel = try #require(StatuspageHarness.panel(host, channel))
            #expect(!StatuspageHarness.actionIDs(panel).contains("statuspage.open_draft"))
            #expect(try host.app.configuration.pluginStates.contains { $0.hasPrefix("statuspage: off") })
        }
    }

    @Test func draftingOutsideAnIncidentIsRefused() async throws {
        try await StatuspageHarness.run { host, fake in
            let reply = try await host.slash("statuspage", as: "alice", in: "general")
            #expect(reply?.text.contains("inside the channel of an incident") == true)
            #expect(fake.service.received.isEmpty)
        }
    }

    @Test func anEmptyMessageIsRefusedInTheModal() async throws {
        try await StatuspageHarness.run { host, _ in
            let channel = try await StatuspageHarness.incident(host)
            try await StatuspageHarness.openModal(host, channel)
            let answer = try await host.submitTopView(as: "alice", values: [DraftModal.bodyBlock: [DraftModal.bodyBlock: "   "]])
            #expect(answer?["errors"]?[DraftModal.bodyBlock] != nil)
            #expect(StatuspageHarness.drafts(host, channel).isEmpty)
        }
    }
}
