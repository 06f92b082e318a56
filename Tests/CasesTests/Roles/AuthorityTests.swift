import CasebookHost
import CasebookKit
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// Who may do what to an incident (#17 point 2): people outside the case channel act on nothing;
/// command is handed over by the commander or an admin and claimed only while nobody holds it;
/// silence and "Close anyway" are the commander's; guests hold no role under `guests: refuse`.
/// Every refusal is an ephemeral reason and nothing else: no state, audit, channel message or DM.
@Suite struct AuthorityTests {
    /// Everything the channel, the digest and the people's DMs show, and the audit timeline.
    static func footprint(_ host: TestHost, _ channel: String) async throws -> [String] {
        let dms = ["alice", "bob", "carol", "dave"].compactMap { host.simulator.directMessageChannel(with: $0) }
        let places = [channel, RolesHarness.digest, "C0INCIDENTS"] + dms
        let messages = places.flatMap { place in host.simulator.messages(in: place).map { "\(place) \($0.ts) \(RolesHarness.text($0))" } }
        let audit = try await host.app.database.auditEntries().map { "\($0.action) \($0.subject)" }
        return messages + audit
    }

    /// Clicks a control panel element as `user` and expects the answer (through the click's
    /// response_url, after the ack) to contain `reason`.
    static func clickRefused(
        _ host: TestHost, _ channel: String, _ actionID: String, as user: String, selectedUser: String? = nil, _ reason: String
    ) async throws {
        let before = host.simulator.ephemeralMessages(for: user, in: channel).count
        try await RolesHarness.clickPanel(host, channel, actionID, as: user, selectedUser: selectedUser)
        try await host.waitUntil("an answer to \(user)") { host.simulator.ephemeralMessages(for: user, in: channel).count > before }
        let answer = host.simulator.ephemeralMessages(for: user, in: channel).last?.text ?? ""
        #expect(answer.contains(reason), "\(actionID): \(answer)")
    }

    @Test func aPasserByOutsideTheChannelChangesNothing() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let before = try await Self.footprint(host, channel)
            let incident = try await RolesHarness.incidentRow(host, channel: channel)

            for text in ["severity sev1", "phase identified", "role comms <@U0CAROL|carol>", "transfer <@U0CAROL|carol>", "silence",
                         "resolve", "close", "incident", "update"] {
                let reply = try await host.slash(text, as: "carol", in: channel)
                #expect(reply?.text.contains("Only members of <#\(channel)>") == true, "\(text): \(reply?.text ?? "none")")
            }
            let answered = host.simulator.ephemeralMessages(for: "carol", in: channel).count
            try await RolesHarness.clickPanel(host, channel, ActionID.claim("commander").wire, as: "carol")
            try await RolesHarness.clickPanel(host, channel, ActionID.severity.wire, as: "carol", option: "sev1")
            try await RolesHarness.clickPanel(host, channel, ActionID.assign("comms").wire, as: "carol", selectedUser: "U0CAROL")
            try await host.waitUntil("three refusals") { host.simulator.ephemeralMessages(for: "carol", in: channel).count == answered + 3 }
            let refusals = host.simulator.ephemeralMessages(for: "carol", in: channel).dropFirst(answered)
            #expect(refusals.allSatisfy { $0.text.contains("Only members of") })
            #expect(host.simulator.openViews(for: "carol").isEmpty)

            #expect(try await Self.footprint(host, channel) == before)
            #expect(try await RolesHarness.incidentRow(host, channel: channel) == incident)
            // Reading is not acting: anyone who sees the channel may look.
            #expect(try await host.slash("status", as: "carol", in: channel)?.text.contains("Checkout errors") == true)
        }
    }

    @Test func commandIsClaimedOnlyWhileNobodyHoldsItAndHandedOverByTheCommanderOrAnAdmin() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host, commander: "bob")
            try await host.join("carol", channel)
            let before = try await Self.footprint(host, channel)

            // A member of the channel can neither claim held command nor hand it on.
            try await Self.clickRefused(host, channel, ActionID.claim("commander").wire, as: "carol", "claimed only while nobody holds it")
            let transfer = try await host.slash("transfer <@U0CAROL|carol>", as: "carol", in: channel)
            #expect(transfer?.text.contains("claimed only while nobody holds it") == true)
            let role = try await host.slash("role commander <@U0ALICE|alice>", as: "carol", in: channel)
            #expect(role?.text.contains("Only the incident commander (<@U0BOB>) or a workspace admin") == true)
            try await Self.clickRefused(
                host, channel, ActionID.assign("commander").wire, as: "carol", selectedUser: "U0CAROL", "claimed only while nobody holds it")
            let silence = try await host.slash("silence", as: "carol", in: channel)
            #expect(silence?.text.contains("Only the incident commander") == true)
            let close = try await host.slash("close", as: "carol", in: channel)
            #expect(close?.text.contains("Only the incident commander (<@U0BOB>) can close an incident that is not resolved") == true)
            #expect(try await Self.footprint(host, channel) == before)

            // The commander hands it on; then a workspace admin (alice, in the channel) reassigns it.
            #expect(try await host.slash("transfer <@U0CAROL|carol>", as: "bob", in: channel)?.text.contains("is now the incident commander") == true)
            #expect(try await host.slash("transfer <@U0BOB|bob>", as: "alice", in: channel)?.text.contains("is now the incident commander") == true)
            let changes = try await host.app.database.auditEntries().filter { $0.action == "case.commander_changed" }
            #expect(changes.map(\.actor) == ["U0BOB", "U0ALICE"])
        }
    }

    /// "Close anyway" is checked when pressed: a prompt shown to the commander is no use once
    /// command has moved on, even to a workspace admin.
    @Test func closeAnywayIsTheCommandersAtTheMomentItIsPressed() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            try await host.join("bob", channel)
            _ = try await host.slash("close", as: "alice", in: channel)
            let prompt = try #require(host.simulator.ephemeralMessages(for: "alice", in: channel).last { $0.text.contains("not resolved") })
            try await host.slash("transfer <@U0BOB|bob>", as: "alice", in: channel)
            try await host.settleJobs()
            let before = try await Self.footprint(host, channel)

            try await host.click("cases.close_confirm", as: "alice", channel: channel, messageTS: prompt.ts)
            try await host.waitUntil("the refusal") {
                host.simulator.ephemeralMessages(for: "alice", in: channel).contains { $0.text.contains("Only the incident commander (<@U0BOB>) can close") }
            }
            #expect(host.simulator.channel(channel)?.isArchived == false)
            #expect(try await Self.footprint(host, channel) == before)
        }
    }

    @Test func guestsHoldNoRoleWhenGuestsAreRefused() async throws {
        let config = RolesHarness.config().replacingOccurrences(of: "  sockets: 1", with: "  sockets: 1\n  guests: refuse")
        try await RolesHarness.run(config: config) { host in
            let channel = try await RolesHarness.incident(host)
            let before = try await Self.footprint(host, channel)
            let role = try await host.slash("role comms <@U0DAVE|dave>", as: "alice", in: channel)
            #expect(role?.text.contains("only members of this workspace can hold incident roles") == true)
            #expect(role?.text.contains("nor guests") == true)
            let transfer = try await host.slash("transfer <@U0DAVE|dave>", as: "alice", in: channel)
            #expect(transfer?.text.contains("can't command an incident") == true)
            #expect(host.simulator.channel(channel)?.members.contains("U0DAVE") == false)
            #expect(try await Self.footprint(host, channel) == before)
        }
        // Guests allowed (the default): the same guest can hold a role.
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let role = try await host.slash("role comms <@U0DAVE|dave>", as: "alice", in: channel)
            #expect(role?.text.contains("is now the *Communications liaison*") == true)
        }
    }
}
