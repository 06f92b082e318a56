import CasebookTesting
import Testing
@testable import StatuspagePlugin

/// Points 3 and 4: only an approver publishes, through the gate, once per approval.
@Suite struct GateTests {
    @Test func theCommanderApprovesAndTheFirstDraftCreatesTheIncident() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(
                host, channel, status: "identified", body: "Card payments fail.", components: [StatuspageHarness.checkout: "partial_outage"])
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            try await host.settleJobs()

            let create = try #require(fake.service.received("POST", "/pages/\(FakeStatuspage.seededPageID)/incidents").first)
            #expect(create.headers["authorization"] == "OAuth \(FakeStatuspage.seededAPIKey)")
            let sent = try #require(create.json?["incident"])
            #expect(sent["name"] == "Checkout errors" && sent["status"] == "identified" && sent["body"] == "Card payments fail.")
            #expect(sent["component_ids"] == [.string(StatuspageHarness.checkout)])
            #expect(sent["components"] == [StatuspageHarness.checkout: "partial_outage"])
            #expect(sent["deliver_notifications"] == true)
            let incident = try #require(fake.incidents.first)
            #expect(fake.components.first { $0.id == StatuspageHarness.checkout }?.status == "partial_outage")

            let published = StatuspageHarness.text(try StatuspageHarness.current(host, draft))
            #expect(published.contains("Published to the status page"))
            #expect(published.contains("Approved by <@U0ALICE>"))
            #expect(published.contains(incident.shortlink))
            #expect(StatuspageHarness.actionIDs(try StatuspageHarness.current(host, draft)).isEmpty)
            let audit = try await StatuspageHarness.statuspageAudit(host)
            #expect(audit == [
                "statuspage.approval_proposed", "statuspage.approval_approved", "statuspage.published", "statuspage.approval_executed",
            ])
            let approved = try #require(try await host.app.database.auditEntries().first { $0.action == "statuspage.approval_approved" })
            #expect(approved.actor == "U0ALICE")

            // The second draft of the case updates the same incident.
            let second = try await StatuspageHarness.draft(host, channel, status: "monitoring", body: "A fix is out; we are watching.")
            try await StatuspageHarness.click(host, second, "statuspage.approve", as: "alice")
            try await host.waitUntil("the update") { fake.incidents.first?.updates.count == 2 }
            #expect(fake.incidents.count == 1)
            #expect(fake.incidents.first?.writes == ["POST", "PATCH"])
            #expect(fake.incidents.first?.status == "monitoring" && fake.incidents.first?.monitoringAt != nil)
        }
    }

    @Test func aNonApproverClickSendsNothing() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host, commander: "alice")
            let draft = try await StatuspageHarness.draft(host, channel, as: "bob")
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "bob")
            try await host.waitUntil("the refusal") {
                StatuspageHarness.ephemerals(host, "bob", channel).contains { $0.contains("Only the incident commander (<@U0ALICE>) can approve") }
            }
            #expect(StatuspageHarness.writes(fake).isEmpty)
            #expect(try await host.app.database.listJobs(states: ["pending", "running", "dead"]).allSatisfy { $0.name != "publish" })
            #expect(StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("awaiting approval"))
            #expect(try await StatuspageHarness.statuspageAudit(host).contains("statuspage.approval_refused"))
        }
    }

    @Test func approversCanBeOtherRolesOrUsers() async throws {
        try await StatuspageHarness.run(config: StatuspageHarness.config(statuspage: "approvers: [comms, U0CAROL]")) { host, fake in
            let channel = try await StatuspageHarness.incident(host, commander: "alice")
            try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            let draft = try await StatuspageHarness.draft(host, channel)
            #expect(StatuspageHarness.text(draft).contains("`comms` (<@U0BOB>) or <@U0CAROL>"))
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            #expect(fake.incidents.isEmpty, "the commander is not an approver here")
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "bob")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
        }
    }

    @Test func clickingApproveTwicePublishesOnce() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            // A double click: two clicks on the button as first posted, delivered together.
            let click = try StatuspageHarness.clickPayload(host, draft, "statuspage.approve", as: "alice")
            async let first = host.deliver(click)
            async let second = host.deliver(click)
            _ = try await (first, second)
            try await host.settleJobs()
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            try await host.settleJobs()
            #expect(fake.creates == 1)
            #expect(StatuspageHarness.writes(fake).count == 1)
        }
    }

    @Test func anEditAfterApprovalSendsNothingUntilApprovedAgain() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel, body: "First words.")
            // Statuspage is slow: the approval is queued, the edit lands before the call.
            fake.service.inject(.status(503), count: 3) { $0.method == "GET" && $0.path.hasSuffix("/unresolved") }
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            #expect(fake.incidents.isEmpty)
            try await StatuspageHarness.click(host, draft, "statuspage.edit", as: "bob")
            try await StatuspageHarness.filledModal(host, "bob")
            try await StatuspageHarness.submit(host, as: "bob", status: "investigating", body: "Edited words.")
            #expect(StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("awaiting approval"))
            try await host.advance(by: .seconds(3_600))
            #expect(StatuspageHarness.writes(fake).isEmpty, "the voided approval publishes nothing")
            #expect(try await StatuspageHarness.statuspageAudit(host).contains("statuspage.approval_voided"))

            // The stale button (old content hash) is refused; the new one publishes the edit.
            try await host.deliver(try StatuspageHarness.clickPayload(
                host, draft, "statuspage.approve", as: "alice", value: StatuspageHarness.buttonValue(draft, "statuspage.approve")))
            try await host.settleJobs()
            try await host.waitUntil("the refusal") { StatuspageHarness.ephemerals(host, "alice", channel).contains { $0.contains("edited after you saw it") } }
            #expect(StatuspageHarness.writes(fake).isEmpty)
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            try await host.waitUntil("the incident") { fake.incidents.count == 1 }
            #expect(fake.incidents.first?.updates.first?.body == "Edited words.")
        }
    }

    @Test func aDiscardedDraftCannotBeApproved() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            let lateClick = try StatuspageHarness.clickPayload(host, draft, "statuspage.approve", as: "alice")
            try await StatuspageHarness.click(host, draft, "statuspage.discard", as: "bob")
            #expect(StatuspageHarness.text(try StatuspageHarness.current(host, draft)).contains("Discarded by <@U0BOB>"))
            #expect(!StatuspageHarness.actionIDs(try StatuspageHarness.current(host, draft)).contains("statuspage.approve"))
            try await host.deliver(lateClick)
            try await host.settleJobs()
            try await host.waitUntil("the refusal") { StatuspageHarness.ephemerals(host, "alice", channel).contains { $0.contains("discarded") } }
            #expect(StatuspageHarness.writes(fake).isEmpty)
        }
    }

    @Test func theGateRefusesAMissingApprovalRowEvenWithAValidLookingButton() async throws {
        try await StatuspageHarness.run { host, fake in
            let channel = try await StatuspageHarness.incident(host)
            let draft = try await StatuspageHarness.draft(host, channel)
            let value = try #require(StatuspageHarness.buttonValue(draft, "statuspage.approve"))
            let (id, hash) = (String(value.prefix { $0 != ":" }), String(value.drop { $0 != ":" }.dropFirst()))
            // A forged button: a well-formed id and hash with no row behind them.
            let forged = "\(UUID().uuidString.lowercased()):\(hash)"
            try await host.deliver(try StatuspageHarness.clickPayload(host, draft, "statuspage.approve", as: "alice", value: forged))
            try await host.settleJobs()
            try await host.waitUntil("the refusal") {
                StatuspageHarness.ephemerals(host, "alice", channel).contains { $0.contains("There is no such approval") }
            }
            // A queued publish call whose approval row disappeared is refused by the gate too.
            fake.service.inject(.status(503), count: 3) { $0.method == "GET" }
            try await StatuspageHarness.click(host, draft, "statuspage.approve", as: "alice")
            let storage = try host.app.database.storage(plugin: StatuspagePlugin.id) as any PluginStorage
            try await storage.transaction { tx in try await tx.sql.raw("DELETE FROM casebook_approvals WHERE id = \(bind: id)").run() }
            try await host.advance(by: .seconds(3_600))
            #expect(StatuspageHarness.writes(fake).isEmpty)
            #expect(fake.incidents.isEmpty)
        }
    }
}
