import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import PagerDutyPlugin
import Testing

/// Points 4 and 5: who is on call, paging a service into the incident, inviting the on-call.
@Suite struct CommandTests {
    @Test func oncallWithoutATokenSaysHowToConfigureIt() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config()) { host, pagerduty in
            let reply = try await host.slash("oncall", as: "alice", in: "general")
            #expect(reply?.responseType == "ephemeral")
            #expect(reply?.text.contains("plugins.pagerduty.config.api_token") == true)
            let page = try await host.slash("page PSVCAPI", as: "alice", in: "general")
            #expect(page?.text.contains("api_token") == true)
            #expect(pagerduty.rest.received.isEmpty)
        }
    }

    @Test func oncallAnswersPerLevelWithMentionsThroughTheResponseURL() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(apiToken: true)) { host, pagerduty in
            let payload = try host.simulator.slashCommand(user: "bob", channel: "general", command: "/case", text: "oncall")
            let ack = try await host.deliver(payload)
            #expect(ack?["text"]?.string == "Asking PagerDuty who is on call…")
            let url = try #require(payload["response_url"]?.string)
            try await host.waitUntil("the answer") { !host.simulator.replies(to: url).isEmpty }
            let answer = try #require(host.simulator.replies(to: url).last)
            let text = answer["text"]?.string ?? ""
            #expect(answer["response_type"]?.string == "ephemeral")
            #expect(text.contains("*Platform*"))
            #expect(text.contains("• Level 1: Alice Archer (<@U0ALICE>)"), "\(text)")
            #expect(text.contains("• Level 2: Carol Chen (<@U0CAROL>)"))
            #expect(text.contains("*Payments*"))
            #expect(text.contains("• Level 1: Bob Baker (<@U0BOB>)"))
            let request = try #require(pagerduty.rest.received("GET", "/oncalls").first)
            #expect(request.queryValues("earliest") == ["true"])
            #expect(request.queryValues("include[]") == ["users"])
            #expect(request.headers["authorization"] == "Token token=\(PagerDutyHarness.token)")
        }
    }

    @Test func oncallIsScopedToTheConfiguredPolicies() async throws {
        let config = PagerDutyHarness.config(pagerduty: ["escalation_policy_ids: [PPAYMNT]"], apiToken: true)
        try await PagerDutyHarness.run(config: config) { host, pagerduty in
            let payload = try host.simulator.slashCommand(user: "bob", channel: "general", command: "/case", text: "oncall")
            _ = try await host.deliver(payload)
            let url = try #require(payload["response_url"]?.string)
            try await host.waitUntil("the answer") { !host.simulator.replies(to: url).isEmpty }
            let text = host.simulator.replies(to: url).last?["text"]?.string ?? ""
            #expect(text.contains("*Payments*"))
            #expect(!text.contains("*Platform*"))
            #expect(pagerduty.rest.received("GET", "/oncalls").first?.queryValues("escalation_policy_ids[]") == ["PPAYMNT"])
        }
    }

    @Test func pageCreatesOneIncidentPerServiceAndTellsTheChannel() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(apiToken: true)) { host, pagerduty in
            let channel = try await PagerDutyHarness.incident(host, "Payments failing")
            let reply = try await host.slash("page \"Casebook API\" card payments time out", as: "bob", in: channel)
            #expect(reply?.text.contains("Paging *Casebook API*") == true)
            try await host.settleJobs()
            try await host.waitUntil("the channel hears who was paged") {
                PagerDutyHarness.texts(host, in: channel).contains { $0.contains("paged *Casebook API*") }
            }
            let incident = try #require(pagerduty.incidents.first)
            let caseID = try await PagerDutyHarness.caseID(host, channel: channel)
            #expect(incident.serviceID == "PSVCAPI")
            #expect(incident.title == "Payments failing")
            #expect(incident.incidentKey == "casebook-\(caseID)-PSVCAPI")
            #expect(incident.createdBy == "bob@casebook.test")
            let told = PagerDutyHarness.texts(host, in: channel).first { $0.contains("paged *Casebook API*") } ?? ""
            #expect(told.contains("<@U0BOB> paged"))
            #expect(told.contains("<@U0ALICE> is on call"), "\(told)")
            #expect(told.contains("card payments time out"))

            // A repeat pages nobody twice.
            _ = try await host.slash("page PSVCAPI again", as: "carol", in: channel)
            try await host.settleJobs()
            try await host.waitUntil("the repeat is answered") {
                PagerDutyHarness.texts(host, in: channel).contains { $0.contains("was paged for this incident already") }
            }
            #expect(pagerduty.incidents.count == 1)
            #expect(pagerduty.rest.received("POST", "/incidents").count == 1)
            let status = try await host.slash("status", as: "alice", in: channel)
            #expect(status?.allText.contains("*Paged:* Casebook API") == true)
        }
    }

    @Test func pageNeedsAnIncidentChannelAndAKnownService() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(apiToken: true)) { host, pagerduty in
            let elsewhere = try await host.slash("page PSVCAPI", as: "alice", in: "general")
            #expect(elsewhere?.text.contains("in the channel of an incident") == true)
            let investigation = try await PagerDutyHarness.open(host)
            let early = try await host.slash("page PSVCAPI", as: "alice", in: investigation)
            #expect(early?.text.contains("paging is for incidents") == true)
            let usage = try await host.slash("page", as: "alice", in: investigation)
            #expect(usage?.text.contains("/case page <service name or id> [message]") == true)

            let channel = try await PagerDutyHarness.incident(host, "Search down")
            _ = try await host.slash("page Nonexistent", as: "alice", in: channel)
            try await host.settleJobs()
            try await host.waitUntil("the failure notice") {
                PagerDutyHarness.texts(host, in: channel).contains { $0.contains("no PagerDuty service named") }
            }
            #expect(pagerduty.incidents.isEmpty)
        }
    }

    @Test func escalationInvitesTheLevelOneOncallWhenConfigured() async throws {
        let config = PagerDutyHarness.config(pagerduty: ["invite_oncall: true", "escalation_policy_ids: [PPAYMNT]"], apiToken: true)
        try await PagerDutyHarness.run(config: config) { host, _ in
            let channel = try await PagerDutyHarness.incident(host)
            try await host.waitUntil("bob is invited") { host.simulator.channel(channel)?.members.contains("U0BOB") == true }
            #expect(host.simulator.channel(channel)?.members.contains("U0CAROL") == false)
        }
    }

    @Test func scopesAreAskedForOnlyWhenASettingNeedsThem() async throws {
        try await PagerDutyHarness.run(config: PagerDutyHarness.config()) { host, _ in
            let scopes = Set(ManifestRenderer.botScopes(CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)))
            #expect(!scopes.contains("users:read.email"))
        }
        try await PagerDutyHarness.run(config: PagerDutyHarness.config(apiToken: true)) { host, _ in
            let scopes = Set(ManifestRenderer.botScopes(CasebookApp.manifestInput(configuration: try host.app.configuration, registry: try host.app.registry)))
            #expect(scopes.contains("users:read.email"))
        }
    }
}
