import CasebookHost
import CasebookKit
import CasebookTesting
import Testing
@testable import StatusProvidersPlugin

/// Point 2: `/case vendors` — content per scenario, the timeout, failures read as unknown, the
/// cache, and Refresh updating the message in place.
@Suite struct SnapshotTests {
    @Test func eachScenarioShowsItsIndicatorComponentsIncidentsAndMaintenances() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.set(.minorIncident, for: "github")
            fake.set(.majorOutage, for: "cloudflare")
            fake.set(.maintenance, for: "auth0")
            fake.set(.majorOutage, for: "heroku")
            fake.set(.minorIncident, for: "slack")
            let (ack, text) = try await StatusProvidersHarness.vendors(host)
            #expect(ack == "Checking 5 providers…")
            #expect(text.contains("5 of 5 watched providers not operational"), "\(text)")

            #expect(StatusProvidersHarness.line(text, "GitHub") == "🟡 *<\(fake.baseURL)/github|GitHub>* — Minor Service Outage", "\(text)")
            #expect(text.contains("Components: Webhooks (degraded performance)"))
            #expect(text.contains("• <https://stspg.io/github-inc-minor|Delayed webhook deliveries> — identified: The cause is identified; deliveries are catching up."))

            #expect(text.contains("|Cloudflare>* — Major Service Outage"))
            #expect(text.contains("API Requests (major outage)") && text.contains("Git over SSH (partial outage)"))
            #expect(!text.contains("Git Operations ("), "group rows are not listed, their children are")
            #expect(text.contains("API requests failing> — investigating: API requests are failing for most customers."))

            #expect(text.contains("🔧 *<") && text.contains("|Auth0>* — Service Under Maintenance"))
            #expect(text.contains("🔧 Maintenance: <https://stspg.io/auth0-mnt-db|Database maintenance> — in progress: Scheduled maintenance is under way."))

            #expect(text.contains("|Heroku>* — Outage"))
            #expect(text.contains("Components: Apps (red)"))
            #expect(text.contains("<https://status.heroku.com/incidents/heroku-inc-major|API requests failing>"))

            #expect(text.contains("|Slack>* — Incident"))
            #expect(text.contains("<https://slack-status.com/2026-12/slack-inc-minor|Delayed webhook deliveries> — active: The cause is identified"))
            #expect(text.contains("Components: Webhooks (affected)"))
        }
    }

    @Test func operationalPagesAreOneLineAndResolvedOrUnknownValuesAreHandled() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.set(.resolvedStillListed, for: "github")
            fake.set(.unknownIndicator, for: "cloudflare")
            let (_, text) = try await StatusProvidersHarness.vendors(host)
            #expect(StatusProvidersHarness.line(text, "GitHub").hasSuffix("|GitHub>* — All Systems Operational"), "\(text)")
            #expect(!text.contains("Elevated error rates"), "a resolved incident listed in the summary is dropped")
            #expect(StatusProvidersHarness.line(text, "Cloudflare").hasPrefix("🟡"), "an unknown indicator reads as degraded")
            #expect(text.contains("|Cloudflare>* — Elevated Error Rates"))
            for title in ["Auth0", "Heroku", "Slack"] {
                #expect(StatusProvidersHarness.line(text, title).hasPrefix("🟢"), "\(title): \(text)")
            }
            #expect(text.contains("1 of 5 watched providers not operational"))
            #expect(text.contains("Refresh"))
        }
    }

    @Test func aSlowProviderIsUnknownAndTheOthersAreShown() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.set(.majorOutage, for: "cloudflare")
            fake.fail("github", with: .latency(StatusProvidersHarness.slow))
            let (_, text) = try await StatusProvidersHarness.vendors(host)
            #expect(StatusProvidersHarness.line(text, "GitHub").hasSuffix("— status unknown (it did not answer in time)"), "\(text)")
            #expect(text.contains("|Cloudflare>* — Major Service Outage"))
            #expect(text.contains("API requests failing"))
            for title in ["Auth0", "Heroku", "Slack"] { #expect(StatusProvidersHarness.line(text, title).hasPrefix("🟢"), "\(title)") }
            #expect(fake.requests(for: "github").count == 1, "no in-process retry of a slow provider")
        }
    }

    @Test func htmlNotFoundMalformedAndServerErrorsReadAsUnknown() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.fail("github", with: .html())
            fake.fail("cloudflare", with: .status(404))
            fake.fail("auth0", with: .malformedBody())
            fake.fail("heroku", with: .status(503))
            let (_, text) = try await StatusProvidersHarness.vendors(host)
            #expect(StatusProvidersHarness.line(text, "GitHub").hasSuffix("— status unknown (an HTML page, not the status API)"), "\(text)")
            #expect(StatusProvidersHarness.line(text, "Cloudflare").contains("status unknown (no status API at this address (HTTP 404))"))
            #expect(StatusProvidersHarness.line(text, "Auth0").contains("status unknown (its answer could not be read"))
            #expect(StatusProvidersHarness.line(text, "Heroku").contains("status unknown (HTTP 503"))
            #expect(StatusProvidersHarness.line(text, "Slack").hasPrefix("🟢"))
            #expect(text.contains("4 of 5 watched providers not operational"))
            // The host is still fine: the next command works.
            let status = try await host.slash("help", as: "bob", in: "general")
            #expect(status?.allText.contains("vendors") == true)
        }
    }

    @Test func aJSONDocumentOfTheWrongShapeIsUnknown() async throws {
        try await StatusProvidersHarness.run { host, fake in
            fake.fail("github", with: .status(200, body: ["page": ["name": "GitHub"]]))
            fake.fail("heroku", with: .status(200, body: ["status": "ok"]))
            let (_, text) = try await StatusProvidersHarness.vendors(host)
            #expect(StatusProvidersHarness.line(text, "GitHub").contains("status unknown (the answer has no status.indicator"), "\(text)")
            #expect(StatusProvidersHarness.line(text, "Heroku").contains("status unknown (the answer has no status list"))
        }
    }

    @Test func answersAreCachedForAMinute() async throws {
        try await StatusProvidersHarness.run { host, fake in
            _ = try await StatusProvidersHarness.vendors(host)
            _ = try await StatusProvidersHarness.vendors(host)
            #expect(fake.service.received.count == 5, "one request per provider for two snapshots within the minute")
            fake.set(.majorOutage, for: "github")
            try await host.advance(by: .seconds(61))
            let (_, text) = try await StatusProvidersHarness.vendors(host)
            #expect(fake.service.received.count >= 10, "\(fake.service.received.map { "\($0.line) \($0.receivedAt)" })")
            #expect(text.contains("|GitHub>* — Major Service Outage"))
        }
    }

    @Test func inACaseChannelTheSnapshotIsPostedAndRefreshUpdatesItInPlace() async throws {
        try await StatusProvidersHarness.run(config: StatusProvidersHarness.config("snapshot_on_escalation: false")) { host, fake in
            let channel = try await StatusProvidersHarness.open(host)
            let ack = try await host.slash("vendors", as: "bob", in: channel)
            #expect(ack?.text == "Checking 5 providers…")
            try await host.settleJobs()
            let posted = try #require(StatusProvidersHarness.snapshots(host, channel).first)
            #expect(StatusProvidersHarness.text(posted).contains("All 5 watched providers operational"))

            fake.set(.majorOutage, for: "github")
            try await host.advance(by: .seconds(61))
            _ = try await host.click(ActionID.refresh.wire, as: "carol", channel: channel, messageTS: posted.ts)
            try await host.settleJobs()
            let snapshots = StatusProvidersHarness.snapshots(host, channel)
            #expect(snapshots.count == 1, "updated in place, not reposted")
            let updated = try #require(host.simulator.message(in: channel, ts: posted.ts))
            let text = StatusProvidersHarness.text(updated)
            #expect(text.contains("1 of 5 watched providers not operational"), "\(text)")
            #expect(text.contains("|GitHub>* — Major Service Outage"))
        }
    }

    @Test func refreshOfAPrivateSnapshotReplacesItThroughTheResponseURL() async throws {
        try await StatusProvidersHarness.run { host, fake in
            let (_, before) = try await StatusProvidersHarness.vendors(host)
            #expect(before.contains("All 5 watched providers operational"))
            fake.set(.minorIncident, for: "heroku")
            try await host.advance(by: .seconds(61))
            // The private snapshot as bob sees it; its Refresh click's response_url replaces it.
            let shown = try #require(host.simulator.ephemeralMessages(for: "bob", in: "general").last)
            #expect(shown.text.contains("All 5 watched providers operational"))
            let payload = try host.simulator.blockAction(
                user: "bob", in: .message(channel: "general", ts: shown.ts), actionID: ActionID.refresh.wire, value: "all:ephemeral")
            _ = try await host.deliver(payload)
            let url = try #require(payload["response_url"]?.string)
            try await host.waitUntil("the replacement") { !host.simulator.replies(to: url).isEmpty }
            let reply = try #require(host.simulator.replies(to: url).last)
            #expect(reply["replace_original"]?.bool == true)
            let text = SlackReply(text: reply["text"]?.string ?? "", blocks: reply["blocks"]?.array ?? []).allText
            #expect(text.contains("1 of 5 watched providers not operational"), "\(text)")
            #expect(text.contains("|Heroku>* — Degraded"))
            let replaced = host.simulator.ephemeralMessages(for: "bob", in: "general").filter { $0.text.hasPrefix("Vendor status") }
            #expect(replaced.count == 1 && replaced.first?.text.contains("1 of 5") == true, "replaced, not added: \(replaced.map(\.text))")
        }
    }
}
