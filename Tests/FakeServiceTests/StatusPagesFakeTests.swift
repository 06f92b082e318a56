import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// FakeStatusPages against reference/integrations.md §3's checklist ("Public status fake server
/// must"), over real HTTP.
@Suite struct StatusPagesFakeTests {
    @Test func pagesAreSelectedByPathPrefixOrHostHeaderAndServeEveryEndpoint() async throws {
        try await FakeStatusPages.seeded().running { fake async throws in
            let byPrefix = try await HTTP.get(fake.baseURL + "/github/api/v2/status.json")
            #expect(byPrefix.status == 200)
            #expect(byPrefix.json?["page"]?["id"]?.string == "kctbh9vrtdwd")
            #expect(byPrefix.json?["status"] == ["indicator": "none", "description": "All Systems Operational"])
            for host in ["www.githubstatus.com", "kctbh9vrtdwd.statuspage.io"] {
                let answer = try await HTTP.get(fake.baseURL + "/api/v2/summary.json", headers: [("Host", host)])
                #expect(answer.json?["page"]?["name"]?.string == "GitHub", "\(host)")
            }
            for path in ["components.json", "incidents.json", "incidents/unresolved.json", "scheduled-maintenances.json",
                         "scheduled-maintenances/upcoming.json", "scheduled-maintenances/active.json"] {
                #expect(try await HTTP.get(fake.baseURL + "/cloudflare/api/v2/" + path).status == 200, "\(path)")
            }
            let atom = try await HTTP.get(fake.baseURL + "/github/history.atom")
            #expect(atom.header("Content-Type") == "application/atom+xml" && atom.text.contains("<feed"))
            #expect(try await HTTP.get(fake.baseURL + "/heroku/api/v2/summary.json").status == 404, "Heroku is not Statuspage")
            #expect(try await HTTP.get(fake.baseURL + "/nosuch/api/v2/summary.json").status == 404)
        }
    }

    @Test func scenariosAreConsistentAndGroupsHaveChildren() async throws {
        try await FakeStatusPages.seeded().running { fake async throws in
            fake.set(.majorOutage, for: "github")
            let summary = try #require(try await HTTP.get(fake.baseURL + "/github/api/v2/summary.json").json)
            #expect(summary["status"]?["indicator"]?.string == "critical", "worst wins: a component in major outage")
            let components = summary["components"]?.array ?? []
            let group = try #require(components.first { $0["group"]?.bool == true })
            #expect(group["components"]?.array?.count == 2)
            #expect(group["status"]?.string == "partial_outage", "a group shows its worst child")
            #expect(components.filter { $0["group_id"]?.string == group["id"]?.string }.count == 2)
            let incident = try #require(summary["incidents"]?[0])
            #expect(incident["impact"]?.string == "major" && incident["status"]?.string == "investigating")
            #expect(incident["incident_updates"]?[0]?["affected_components"]?.array?.isEmpty == false)

            fake.set(.minorIncident, for: "github")
            fake.addUpdate("Fixed; monitoring.", for: "github")
            let unresolved = try #require(try await HTTP.get(fake.baseURL + "/github/api/v2/incidents/unresolved.json").json)
            #expect(unresolved["incidents"]?[0]?["incident_updates"]?[0]?["body"]?.string == "Fixed; monitoring.")
            #expect(try await HTTP.get(fake.baseURL + "/github/api/v2/status.json").json?["status"]?["indicator"]?.string == "minor")
            let history = try #require(try await HTTP.get(fake.baseURL + "/github/api/v2/incidents.json").json?["incidents"]?.array)
            #expect(history.contains { $0["id"]?.string == "github-inc-major" && $0["status"]?.string == "resolved" }, "the replaced incident is resolved")

            fake.set(.maintenance, for: "github")
            let maintenance = try #require(try await HTTP.get(fake.baseURL + "/github/api/v2/scheduled-maintenances/active.json").json)
            #expect(maintenance["scheduled_maintenances"]?[0]?["status"]?.string == "in_progress")
            #expect(try await HTTP.get(fake.baseURL + "/github/api/v2/status.json").json?["status"]?["indicator"]?.string == "maintenance")

            fake.set(.resolvedStillListed, for: "github")
            let listed = try #require(try await HTTP.get(fake.baseURL + "/github/api/v2/summary.json").json)
            #expect(listed["incidents"]?[0]?["status"]?.string == "resolved")
            #expect(listed["status"]?["indicator"]?.string == "none")
        }
    }

    @Test func herokuAndSlackHaveTheirOwnShapes() async throws {
        try await FakeStatusPages.seeded().running { fake async throws in
            let calm = try #require(try await HTTP.get(fake.baseURL + "/slack/api/v2.0.0/current").json)
            #expect(calm["status"]?.string == "ok" && calm["active_incidents"]?.array?.isEmpty == true)
            fake.set(.majorOutage, for: "slack")
            fake.set(.majorOutage, for: "heroku")
            let slack = try #require(try await HTTP.get(fake.baseURL + "/slack/api/v2.0.0/current").json)
            #expect(slack["status"]?.string == "active")
            #expect(slack["active_incidents"]?[0]?["type"]?.string == "outage")
            #expect(slack["active_incidents"]?[0]?["notes"]?[0]?["body"]?.string?.isEmpty == false)
            let heroku = try #require(try await HTTP.get(fake.baseURL + "/heroku/api/v4/current-status").json)
            #expect(heroku["status"]?[0] == ["system": "Apps", "status": "red"])
            #expect(heroku["incidents"]?[0]?["updates"]?[0]?["update_type"]?.string == "investigating")
            fake.set(.operational, for: "slack")
            let history = try #require(try await HTTP.get(fake.baseURL + "/slack/api/v2.0.0/history").json?.array)
            #expect(history.first?["status"]?.string == "resolved")
        }
    }

    @Test func faultsApplyToOneProviderOnly() async throws {
        try await FakeStatusPages.seeded().running { fake async throws in
            fake.fail("github", with: .html(), count: 1)
            fake.fail("cloudflare", with: .status(503), count: 1)
            let github = try await HTTP.get(fake.baseURL + "/github/api/v2/summary.json")
            #expect(github.header("Content-Type") == "text/html")
            #expect(try await HTTP.get(fake.baseURL + "/cloudflare/api/v2/summary.json").status == 503)
            #expect(try await HTTP.get(fake.baseURL + "/auth0/api/v2/summary.json").status == 200)
            #expect(try await HTTP.get(fake.baseURL + "/github/api/v2/summary.json").status == 200, "the fault was used up")
            #expect(fake.requests(for: "github").count == 2)
        }
    }
}
