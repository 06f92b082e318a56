import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// FakeStatuspage against reference/integrations.md §2's checklist, over real HTTP.
@Suite struct StatuspageFakeTests {
    static let auth = ("Authorization", "OAuth \(FakeStatuspage.seededAPIKey)")
    static let page = "/pages/\(FakeStatuspage.seededPageID)"

    static func send(_ sp: FakeStatuspage, _ method: HTTPMethod, _ path: String, _ json: JSONValue? = nil, headers: [(String, String)] = [auth]) async throws -> Answer {
        try await HTTP.send(method, sp.baseURL + path, json: json, headers: headers)
    }

    @Test func authIsTheOAuthHeaderOrTheAPIKeyParameter() async throws {
        try await FakeStatuspage.seeded().running { sp async throws in
            for headers in [[], [("Authorization", "Bearer \(FakeStatuspage.seededAPIKey)")], [("Authorization", "OAuth wrong")]] {
                let answer = try await Self.send(sp, .GET, "\(Self.page)/components", headers: headers)
                #expect(answer.status == 401)
                #expect(answer.json == ["error": "Could not authenticate"])
            }
            #expect(try await Self.send(sp, .GET, "\(Self.page)/components").status == 200)
            #expect(try await Self.send(sp, .GET, "\(Self.page)/components.json?api_key=\(FakeStatuspage.seededAPIKey)", headers: []).status == 200)
            #expect(try await Self.send(sp, .GET, "/pages/nosuchpage01/components").status == 404)
            #expect(try await Self.send(sp, .GET, "\(Self.page)/incidents/nosuchincid1").status == 404)
        }
    }

    @Test func createAnswers201WithAFullIncidentAndChangesTheComponents() async throws {
        try await FakeStatuspage.seeded().running { sp async throws in
            let created = try await Self.send(sp, .POST, "\(Self.page)/incidents.json", ["incident": [
                "name": "Checkout errors", "status": "identified", "body": "Payments fail.", "deliver_notifications": false,
                "component_ids": ["cmpcheckout1"], "components": ["cmpcheckout1": "major_outage"],
            ]])
            #expect(created.status == 201)
            let incident = try #require(created.json)
            let id = try #require(incident["id"]?.string)
            #expect(id.count == 12 && id.allSatisfy { $0.isNumber || ($0.isLetter && $0.isLowercase) })
            #expect(incident["shortlink"]?.string?.hasPrefix("https://stspg.io/") == true)
            #expect(incident["impact"] == "critical")
            let update = try #require(incident["incident_updates"]?[0])
            #expect(update["body"] == "Payments fail." && update["deliver_notifications"] == false)
            #expect(update["affected_components"] == [["code": "cmpcheckout1", "name": "Checkout", "old_status": "operational", "new_status": "major_outage"]])
            #expect(incident["components"]?[0]?["status"] == "major_outage")
            let components = try await Self.send(sp, .GET, "\(Self.page)/components")
            #expect(components.json?.array?.first { $0["id"] == "cmpcheckout1" }?["status"] == "major_outage")
            #expect(sp.incidents.first?.updates.first?.deliverNotifications == false)
        }
    }

    @Test func invalidCreatesAre422() async throws {
        try await FakeStatuspage.seeded().running { sp async throws in
            let cases: [(JSONValue, String)] = [
                (["body": "x"], "Name can't be blank"),
                (["name": .string(String(repeating: "n", count: 256))], "Name is too long"),
                (["name": "x", "status": "broken"], "Status is not included"),
                (["name": "x", "components": ["nosuchcompo1": "major_outage"]], "does not belong"),
                (["name": "x", "components": ["cmpapi000001": "on_fire"]], "Component status"),
                (["name": "x", "body": .string(String(repeating: "b", count: 25_001))], "Body is too long"),
                (["name": "x", "metadata": ["casebook": "flat"]], "Metadata values must be objects"),
            ]
            for (incident, words) in cases {
                let answer = try await Self.send(sp, .POST, "\(Self.page)/incidents", ["incident": incident])
                #expect(answer.status == 422)
                #expect(answer.json?["error"]?.array?.contains { $0.string?.contains(words) == true } == true, "\(words)")
            }
            #expect(sp.incidents.isEmpty)
        }
    }

    @Test func formBodiesWorkLikeJSON() async throws {
        try await FakeStatuspage.seeded().running { sp async throws in
            let form = "incident[name]=API+down&incident[status]=investigating&incident[component_ids][]=cmpapi000001&incident[components][cmpapi000001]=partial_outage"
            let answer = try await HTTP.send(.POST, sp.baseURL + "\(Self.page)/incidents", body: Data(form.utf8), headers: [
                Self.auth, ("Content-Type", "application/x-www-form-urlencoded"),
            ])
            #expect(answer.status == 201)
            #expect(answer.json?["name"] == "API down")
            #expect(sp.components.first { $0.id == "cmpapi000001" }?.status == "partial_outage")
        }
    }

    @Test func updatesByPatchOrPutAppendIncidentUpdatesAndStampTransitions() async throws {
        try await FakeStatuspage.seeded().running { sp async throws in
            let created = try await Self.send(sp, .POST, "\(Self.page)/incidents", ["incident": [
                "name": "API down", "components": ["cmpapi000001": "major_outage"],
            ]])
            let id = try #require(created.json?["id"]?.string)
            let monitoring = try await Self.send(sp, .PATCH, "\(Self.page)/incidents/\(id)", ["incident": ["status": "monitoring", "body": "Fixed, watching."]])
            #expect(monitoring.status == 200 && monitoring.json?["monitoring_at"]?.string != nil && monitoring.json?["resolved_at"] == .null)
            let resolved = try await Self.send(sp, .PUT, "\(Self.page)/incidents/\(id).json", ["incident": ["status": "resolved", "body": "Done."]])
            #expect(resolved.status == 200 && resolved.json?["resolved_at"]?.string != nil)
            #expect(resolved.json?["incident_updates"]?.array?.map { $0["status"]?.string ?? "" } == ["resolved", "monitoring", "investigating"])
            #expect(sp.incidents.first?.writes == ["POST", "PATCH", "PUT"])
            // Resolving does not reset components unless told to…
            #expect(sp.components.first { $0.id == "cmpapi000001" }?.status == "major_outage")
            let unresolved = try await Self.send(sp, .GET, "\(Self.page)/incidents/unresolved")
            #expect(unresolved.json == [])

            // …or unless the fake is switched to do so.
            sp.resolvingResetsComponents = true
            let again = try await Self.send(sp, .POST, "\(Self.page)/incidents", ["incident": ["name": "Webhooks slow", "components": ["cmpwebhooks1": "degraded_performance"]]])
            let second = try #require(again.json?["id"]?.string)
            #expect(try await Self.send(sp, .GET, "\(Self.page)/incidents/unresolved").json?.array?.map { $0["id"]?.string } == [second])
            _ = try await Self.send(sp, .PATCH, "\(Self.page)/incidents/\(second)", ["incident": ["status": "resolved"]])
            #expect(sp.components.first { $0.id == "cmpwebhooks1" }?.status == "operational")
        }
    }

    @Test func componentsAreABareArrayPaginatedByAHundred() async throws {
        let components = (1...150).map { FakeStatuspage.Component(id: String(format: "c%011d", $0), name: "C\($0)") }
        try await FakeStatuspage(pageID: "pg0000000001", apiKeys: ["k"], components: components).running { sp async throws in
            func page(_ query: String) async throws -> [String] {
                try await HTTP.get(sp.baseURL + "/pages/pg0000000001/components?\(query)", headers: [("Authorization", "OAuth k")]).json?.array?
                    .compactMap { $0["name"]?.string } ?? []
            }
            #expect(try await page("").count == 100)
            #expect(try await page("page=2").count == 50)
            #expect(try await page("page=2&per_page=500").first == "C101")
            #expect(try await page("page=3&per_page=20").first == "C41")
        }
    }

    @Test func theLimiterAnswers429WithRetryAfterPerToken() async throws {
        // The limiter counts on the fake's clock, so a slow machine cannot stretch the window.
        let time = TestTime()
        try await FakeStatuspage.seeded(now: { time.now }).running { sp async throws in
            for _ in 0..<3 { #expect(try await Self.send(sp, .GET, "\(Self.page)/components").status == 200) }
            sp.rateLimit = .strict
            #expect(try await Self.send(sp, .GET, "\(Self.page)/components").status == 200)
            let limited = try await Self.send(sp, .GET, "\(Self.page)/components")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "1")
            time.advance(by: 1.1)
            #expect(try await Self.send(sp, .GET, "\(Self.page)/components").status == 200)
            sp.rateLimit = FakeStatuspage.RateLimit(requests: 1, window: 60, status: 420)
            _ = try await Self.send(sp, .GET, "\(Self.page)/components")
            let legacy = try await Self.send(sp, .GET, "\(Self.page)/components")
            #expect(legacy.status == 420 && Int(legacy.header("Retry-After") ?? "") ?? 0 > 1)
            #expect(FakeStatuspage.RateLimit.documented == FakeStatuspage.RateLimit(requests: 60, window: 60))
        }
    }

    @Test func asAnIntegrationFakeItReplacesTheAPIURL() async throws {
        let sp = FakeStatuspage.seeded()
        try await sp.running { sp async throws in
            #expect(sp.pluginID == "statuspage")
            #expect(sp.configOverrides == ["api_url": sp.baseURL])
            #expect(sp.fakeServices.map(\.name) == ["statuspage"])
        }
    }
}

/// A clock the test moves by hand.
final class TestTime: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
