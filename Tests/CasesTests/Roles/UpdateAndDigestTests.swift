import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// `/case update`, the digest message kept in sync, the stale check and the RCA channel.
@Suite struct UpdateAndDigestTests {
    static func postUpdate(_ host: TestHost, _ channel: String, as user: String, impact: String, text: String, viaButton: Bool = false) async throws {
        if viaButton {
            try await RolesHarness.clickPanel(host, channel, ActionID.openUpdate.wire, as: user)
        } else {
            // The command answers with a modal, not a message, so deliver it directly rather than
            // through `slash`, which waits for a reply message.
            let command = try host.app.configuration.host.slashCommand
            try await host.deliver(try host.simulator.slashCommand(user: user, channel: channel, command: command, text: "update"))
        }
        try await host.waitUntil("the update modal") { host.simulator.topView(for: user)?.callbackID == UpdateModal.callbackID.wire }
        try await host.submitTopView(as: user, values: [
            UpdateModal.impactBlock: [UpdateModal.impactBlock: impact],
            UpdateModal.componentsBlock: [UpdateModal.componentsBlock: "checkout"],
            UpdateModal.textBlock: [UpdateModal.textBlock: text],
        ])
        try await host.settleJobs()
    }

    @Test func anUpdateGoesToTheChannelAndUnderTheDigest() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            try await Self.postUpdate(host, channel, as: "alice", impact: "5% of payments fail", text: "Rolling back deploy 4521.")
            #expect(RolesHarness.allText(host, in: channel).contains("Rolling back deploy 4521."))
            let digest = try #require(RolesHarness.digestMessages(host).first)
            let replies = RolesHarness.messages(host, in: RolesHarness.digest).filter { $0.threadTS == digest.ts }
            #expect(replies.count == 1)
            #expect(replies.first.map(RolesHarness.text)?.contains("5% of payments fail") == true)
            #expect(RolesHarness.text(digest).contains("*Impact:* 5% of payments fail"))
            let entry = try #require(try await host.app.database.auditEntries().first { $0.action == "roles.update_posted" })
            #expect(entry.details["text"]?.string == "Rolling back deploy 4521.")

            // From the panel's button too (for people in the channel); an empty impact is refused in the modal.
            try await host.join("bob", channel)
            try await RolesHarness.clickPanel(host, channel, ActionID.openUpdate.wire, as: "bob")
            try await host.waitUntil("the update modal") { host.simulator.topView(for: "bob") != nil }
            let refused = try await host.submitTopView(as: "bob", values: [
                UpdateModal.impactBlock: [UpdateModal.impactBlock: "  "], UpdateModal.textBlock: [UpdateModal.textBlock: "x"],
            ])
            #expect(refused?["errors"]?[UpdateModal.impactBlock] != nil)
        }
    }

    @Test func aDeletedDigestMessageIsPostedAgain() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let first = try #require(RolesHarness.digestMessages(host).first)
            let slack = try #require(try host.app.registry.plugin(RolesPlugin.id)).context.slack
            try await slack.deleteMessage(MessageRef(channel: RolesHarness.digest, ts: first.ts))
            #expect(RolesHarness.digestMessages(host).isEmpty)

            try await host.slash("severity sev2", as: "alice", in: channel)
            try await host.settleJobs()
            let reposted = try #require(RolesHarness.digestMessages(host).first)
            #expect(RolesHarness.digestMessages(host).count == 1)
            #expect(reposted.ts != first.ts)
            #expect(RolesHarness.text(reposted).contains("SEV2"))
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.digest?.ts == reposted.ts)

            // Updates thread under the new message.
            try await Self.postUpdate(host, channel, as: "alice", impact: "Degraded", text: "Investigating.")
            #expect(RolesHarness.messages(host, in: RolesHarness.digest).contains { $0.threadTS == reposted.ts })
        }
    }

    @Test func resolvingMarksTheDigestAndOpensAnRCAChannel() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host, "Database failover")
            try await host.slash("role tech_lead <@U0CAROL|carol>", as: "alice", in: channel)
            try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()
            let name = try #require(host.simulator.channel(channel)?.name)
            let rca = try #require(host.simulator.channel("\(name)-rca"))
            #expect(rca.members.contains("U0ALICE") && rca.members.contains("U0CAROL"))
            #expect(!rca.members.contains("U0BOB"), "the comms liaison is not invited_to_rca")
            let opening = RolesHarness.allText(host, in: rca.id)
            #expect(opening.contains("<#\(channel)>") && opening.contains("case.escalated") && opening.contains("roles.role_assigned"))
            #expect(RolesHarness.allText(host, in: channel).contains("<#\(rca.id)>"))
            let digest = RolesHarness.text(try #require(RolesHarness.digestMessages(host).first))
            #expect(digest.contains("Resolved") && digest.contains("RCA in <#\(rca.id)>"))

            // Closing shows the final state in the digest.
            try await host.slash("close", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("Closed"))
        }
    }

    @Test func noRCAChannelWhenTurnedOff() async throws {
        try await RolesHarness.run(config: RolesHarness.config(roles: "rca_channel: false")) { host in
            let channel = try await RolesHarness.incident(host)
            let before = host.simulator.conversations.count
            try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()
            #expect(host.simulator.conversations.count == before)
        }
    }

    @Test func theDailyCheckListsStaleIncidents() async throws {
        try await RolesHarness.run(config: RolesHarness.config(roles: "stale_after: 36h")) { host in
            let old = try await RolesHarness.incident(host, "Old incident")
            try await host.advance(by: .seconds(86_400))
            #expect(!RolesHarness.allText(host, in: RolesHarness.digest).contains("open longer than"))
            let young = try await RolesHarness.incident(host, "Young incident")
            try await host.advance(by: .seconds(86_400))
            let stale = RolesHarness.messages(host, in: RolesHarness.digest).filter { $0.text.contains("open longer than 1d12h") }
            #expect(stale.count == 1)
            #expect(stale.first?.text.contains("<#\(old)>") == true)
            #expect(stale.first?.text.contains("<#\(young)>") == false)
        }
    }
}
