import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin

/// Refusals are private (#18 point 10): a refused action answers its actor alone — in the ack, an
/// ephemeral message, or a modal where there is no channel — and changes nothing else: no channel
/// message, no direct message, no case, no audit entry.
@Suite struct RefusalTests {
    /// The Cases plugin with guests refused by the host (`host.guests: refuse`).
    static var config: String {
        CasesHarness.config().replacingOccurrences(of: "  sockets: 1\n", with: "  sockets: 1\n  guests: refuse\n")
    }

    /// Every message in every conversation (DMs included) and the audit timeline.
    static func footprint(_ host: TestHost) async throws -> [String] {
        let messages = host.simulator.conversations.flatMap { place in host.simulator.messages(in: place.id).map { "\(place.id) \($0.ts)" } }
        let audit = try await host.app.database.auditEntries().map { "\($0.action) \($0.subject)" }
        return messages + audit + host.simulator.conversations.map(\.id)
    }

    static func modalText(_ host: TestHost, _ user: String) -> String {
        SlackReply(text: "", blocks: host.simulator.topView(for: user)?.blocks ?? []).allText
    }

    @Test func aRefusedGlobalShortcutAnswersInAModalNotADirectMessage() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let before = try await Self.footprint(host)
            // Someone from another organisation, and a guest where guests are refused.
            for (user, reason) in [("erin", "only available to members of this workspace"), ("dave", "Guests can't use Casebook")] {
                try await host.globalShortcut(StartModal.callbackID.wire, as: user)
                try await host.waitUntil("the refusal in a modal for \(user)") { host.simulator.topView(for: user) != nil }
                #expect(host.simulator.topView(for: user)?.callbackID == "casebook.notice")
                #expect(Self.modalText(host, user).contains(reason), "\(user): \(Self.modalText(host, user))")
                #expect(host.simulator.directMessageChannel(with: user) == nil, "no DM for \(user)")
                #expect(host.simulator.ephemeralMessages(for: user).isEmpty)
            }
            try await host.settleJobs()
            #expect(try await Self.footprint(host) == before)
            #expect(host.simulator.calls(to: "chat.postMessage").isEmpty)
        }
    }

    @Test func aRefusedSlashCommandIsAnEphemeralReplyAndNothingElse() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let before = try await Self.footprint(host)
            let reply = try await host.slash("open Checkout errors", as: "dave", in: "general")
            #expect(reply?.responseType == "ephemeral")
            #expect(reply?.text.contains("Guests can't use Casebook") == true)
            try await host.settleJobs()
            #expect(try await Self.footprint(host) == before)
            #expect(host.simulator.directMessageChannel(with: "dave") == nil)
        }
    }

    @Test func refusedButtonsAndMessageShortcutsAnswerEphemerally() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let channel = try await CasesHarness.open(host, "Checkout errors", as: "alice")
            try await host.settleJobs()
            let summary = try #require(CasesHarness.messages(host, in: channel.id).first { !$0.blocks.isEmpty })
            try await host.deliver(try host.simulator.memberJoinedChannel(user: "dave", channel: channel.id))
            let before = try await Self.footprint(host)

            // The summary's Escalate button, clicked by a guest.
            try await host.click(ActionID.escalate.wire, as: "dave", channel: channel.id, messageTS: summary.ts)
            try await host.waitUntil("the refusal") { !host.simulator.ephemeralMessages(for: "dave", in: channel.id).isEmpty }
            #expect(host.simulator.ephemeralMessages(for: "dave", in: channel.id).map(\.text).allSatisfy { $0.contains("Guests can't use Casebook") })
            // Collect Evidence on a message, by the same guest.
            try await host.messageShortcut(CasesPlugin.Configuration.defaultEvidenceShortcut, as: "dave", channel: channel.id, messageTS: summary.ts)
            try await host.waitUntil("the second refusal") { host.simulator.ephemeralMessages(for: "dave", in: channel.id).count == 2 }
            #expect(host.simulator.openViews(for: "dave").isEmpty)

            try await host.settleJobs()
            #expect(try await Self.footprint(host) == before)
            #expect(host.simulator.directMessageChannel(with: "dave") == nil)
            let storage = try host.app.database.storage(plugin: CasesPlugin.id) as any PluginStorage
            #expect(try await storage.read { db in try await CaseStore.find(channel: channel.id, on: db) }?.status == .investigating)
        }
    }
}
