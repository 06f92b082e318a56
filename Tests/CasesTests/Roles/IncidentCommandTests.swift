import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// Severity, status and roles through the slash commands and the control panel.
@Suite struct IncidentCommandTests {
    @Test func escalationPostsAPinnedPanelAndADigestAtTheDefaultSeverity() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host, commander: "bob")
            let panel = try #require(RolesHarness.panel(host, channel))
            #expect(host.simulator.channel(channel)?.pins.contains(panel.ts) == true)
            let panelText = RolesHarness.text(panel)
            #expect(panelText.contains("SEV4"))
            for role in ["Incident commander", "Communications liaison", "Technical lead"] { #expect(panelText.contains(role)) }
            #expect(panelText.contains("<@U0BOB>"))

            let digests = RolesHarness.digestMessages(host)
            #expect(digests.count == 1)
            let digest = RolesHarness.text(try #require(digests.first))
            #expect(digest.contains("SEV4") && digest.contains("Investigating") && digest.contains("Checkout errors") && digest.contains("<#\(channel)>"))

            // The commander was briefed in a direct message.
            let dm = try #require(host.simulator.directMessageChannel(with: "bob"))
            #expect(RolesHarness.allText(host, in: dm).contains("Incident commander"))
            #expect(try await RolesHarness.rolesAudit(host) == ["roles.severity_changed"])
            // Not in remind_severities: nothing scheduled.
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.nextReminderAt == nil)
        }
    }

    @Test func severityCommandAndSelectChangeItEverywhere() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            try await host.join("carol", channel)
            try await host.join("bob", channel)
            let unknown = try await host.slash("severity sev9", as: "carol", in: channel)
            #expect(unknown?.text.contains("There is no severity `sev9`") == true)
            #expect(unknown?.text.contains("<sev1|sev2|sev3|sev4>") == true)

            let reply = try await host.slash("severity SEV2", as: "carol", in: channel)
            #expect(reply?.text.contains("SEV2") == true)
            #expect(RolesHarness.allText(host, in: channel).contains("<@U0CAROL> changed the severity from SEV4 to *SEV2*"))
            #expect(RolesHarness.text(try #require(RolesHarness.panel(host, channel))).contains("*SEV2*"))
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("SEV2"))
            let again = try await host.slash("severity sev2", as: "carol", in: channel)
            #expect(again?.text.contains("already") == true)

            try await RolesHarness.clickPanel(host, channel, ActionID.severity.wire, as: "bob", option: "sev3")
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.severity == "sev3")
            #expect(RolesHarness.allText(host, in: channel).contains("<@U0BOB> changed the severity from SEV2 to *SEV3*"))
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("SEV3"))
            #expect(RolesHarness.digestMessages(host).count == 1, "the digest is updated in place")

            let status = try #require(try await host.slash("status", as: "alice", in: channel)).allText
            #expect(status.contains("*Severity:* SEV3"))
            let timeline = try await host.app.database.auditEntries().filter { $0.action == "roles.severity_changed" }.map { $0.details["to"]?.string }
            #expect(timeline == ["sev4", "sev2", "sev3"])
        }
    }

    @Test func commandsOutsideAnIncidentChangeNothing() async throws {
        try await RolesHarness.run { host in
            let outside = try await host.slash("severity sev1", as: "alice", in: "general")
            #expect(outside?.text.contains("inside a case channel") == true)
            let before = Set(host.simulator.conversations.map(\.id))
            try await host.slash("open Slow builds", as: "alice", in: "general")
            let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) }).id
            let investigation = try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            #expect(investigation?.text.contains("not an incident yet") == true)
            #expect(try await RolesHarness.rolesAudit(host).isEmpty)
        }
    }

    @Test func statusMovesAlongAndResolvedGoesThroughCases() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let usage = try await host.slash("phase fixed", as: "alice", in: channel)
            #expect(usage?.text.contains("<investigating|identified|monitoring|resolved>") == true)

            let identified = try await host.slash("phase identified", as: "alice", in: channel)
            #expect(identified?.text.contains("Identified") == true)
            #expect(RolesHarness.allText(host, in: channel).contains("set the incident status to *Identified*"))
            try await host.join("bob", channel)
            try await RolesHarness.clickPanel(host, channel, ActionID.status.wire, as: "bob", option: "monitoring")
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.status == .monitoring)
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("Monitoring"))

            try await RolesHarness.clickPanel(host, channel, ActionID.status.wire, as: "alice", option: "resolved")
            let context = try #require(try host.app.registry.plugin(RolesPlugin.id)).context
            #expect(await CaseDirectory(context: context).case(inChannel: channel)?.status == .resolved)
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.status == .resolved)
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("Resolved"))
            let after = try await host.slash("phase identified", as: "alice", in: channel)
            #expect(after?.text.contains("resolved") == true)
            let statuses = try await host.app.database.auditEntries().filter { $0.action == "roles.status_changed" }.map { $0.details["to"]?.string }
            #expect(statuses == ["identified", "monitoring", "resolved"])
        }
    }

    @Test func rolesByCommandSelectAndClaim() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let usage = try await host.slash("role scribe <@U0BOB|bob>", as: "alice", in: channel)
            #expect(usage?.text.contains("<commander|comms|tech_lead> @user") == true)

            let comms = try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            #expect(comms?.text.contains("Communications liaison") == true)
            #expect(host.simulator.channel(channel)?.members.contains("U0BOB") == true)
            #expect(RolesHarness.allText(host, in: channel).contains("<@U0ALICE> gave <@U0BOB> the role *Communications liaison*"))
            let dm = try #require(host.simulator.directMessageChannel(with: "bob"))
            #expect(RolesHarness.allText(host, in: dm).contains("Keeps everyone outside the incident channel informed"))

            try await RolesHarness.clickPanel(host, channel, ActionID.assign("tech_lead").wire, as: "alice", selectedUser: "U0CAROL")
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.assignments == ["comms": "U0BOB", "tech_lead": "U0CAROL"])
            try await RolesHarness.clickPanel(host, channel, ActionID.claim("comms").wire, as: "carol")
            #expect(try await RolesHarness.incidentRow(host, channel: channel)?.assignments["comms"] == "U0CAROL")
            #expect(RolesHarness.allText(host, in: channel).contains("<@U0CAROL> took the role *Communications liaison* (previously <@U0BOB>)"))
            let digest = RolesHarness.text(try #require(RolesHarness.digestMessages(host).first))
            #expect(digest.contains("*Communications liaison:* <@U0CAROL>") && digest.contains("*Technical lead:* <@U0CAROL>"))

            let bot = try await host.slash("role tech_lead <@U0OTHERBOT|alertbot>", as: "alice", in: channel)
            #expect(bot?.text.contains("only members of this workspace") == true)
            let external = try await host.slash("role tech_lead <@U0ERIN|erin>", as: "alice", in: channel)
            #expect(external?.text.contains("only members of this workspace") == true)
            let assigned = try await host.app.database.auditEntries().filter { $0.action == "roles.role_assigned" }.count
            #expect(assigned == 3)
        }
    }

    /// The incident commander is the Cases commander: a change in either place shows in both.
    @Test func theCommanderRoleIsTheCasesCommander() async throws {
        try await RolesHarness.run { host in
            let channel = try await RolesHarness.incident(host)
            let reply = try await host.slash("role commander <@U0BOB|bob>", as: "alice", in: channel)
            #expect(reply?.text.contains("Incident commander") == true)
            try await host.settleJobs()
            var status = try #require(try await host.slash("status", as: "carol", in: channel)).allText
            #expect(status.contains("*Commander:* <@U0BOB>"))
            #expect(status.contains("*Incident commander:* <@U0BOB>"))
            #expect(RolesHarness.text(try #require(RolesHarness.panel(host, channel))).contains("*Incident commander:* <@U0BOB>"))

            // Cases' own transfer shows on the panel and in the digest.
            try await host.slash("transfer <@U0CAROL|carol>", as: "bob", in: channel)
            try await host.settleJobs()
            #expect(RolesHarness.text(try #require(RolesHarness.panel(host, channel))).contains("*Incident commander:* <@U0CAROL>"))
            #expect(RolesHarness.text(try #require(RolesHarness.digestMessages(host).first)).contains("*Incident commander:* <@U0CAROL>"))

            // Command is claimed only while nobody holds it; a workspace admin (alice) reassigns it.
            try await RolesHarness.clickPanel(host, channel, ActionID.claim("commander").wire, as: "alice")
            try await host.waitUntil("the refusal") {
                host.simulator.ephemeralMessages(for: "alice", in: channel).last?.text.contains("claimed only while nobody holds it") == true
            }
            try await host.slash("role commander <@U0ALICE|alice>", as: "alice", in: channel)
            status = try #require(try await host.slash("status", as: "carol", in: channel)).allText
            #expect(status.contains("*Commander:* <@U0ALICE>"))
            let bot = try await host.slash("role commander <@U0OTHERBOT|alertbot>", as: "alice", in: channel)
            #expect(bot?.text.contains("can't command an incident") == true)
            let changes = try await host.app.database.auditEntries().filter { $0.action == "case.commander_changed" }.count
            #expect(changes == 3)
        }
    }
}
