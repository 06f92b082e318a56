import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct PagerDutyRESTTests {
    static let auth = ("Authorization", "Token token=\(FakePagerDuty.seededAPIToken)")

    static func get(_ pd: FakePagerDuty, _ pathAndQuery: String, headers: [(String, String)] = [auth]) async throws -> Answer {
        try await HTTP.get(pd.rest.baseURL + pathAndQuery, headers: headers)
    }

    /// (user id, policy id, level) of each on-call in an answer.
    static func oncalls(_ answer: Answer) -> [String] {
        (answer.json?["oncalls"]?.array ?? []).map {
            "\($0["user"]?["id"]?.string ?? "?") \($0["escalation_policy"]?["id"]?.string ?? "?") L\($0["escalation_level"]?.int ?? 0)"
        }
    }

    @Test func requestsNeedAKnownToken() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            for headers in [[], [("Authorization", "Token token=wrong")], [("Authorization", FakePagerDuty.seededAPIToken)],
                            [("Authorization", "Bearer wrong")], [("Authorization", "Token token=")]] {
                let answer = try await Self.get(pd, "/users/PALICE1", headers: headers)
                #expect(answer.status == 401)
                #expect(answer.json?["error"]?["code"] == 2006)
                #expect(answer.json?["error"]?["message"]?.string?.isEmpty == false)
            }
            #expect(try await Self.get(pd, "/users/PALICE1").status == 200)
            let bearer = try await Self.get(pd, "/users/PALICE1", headers: [
                ("Authorization", "Bearer \(FakePagerDuty.seededAPIToken)"), ("Accept", "application/vnd.pagerduty+json;version=2"),
            ])
            #expect(bearer.status == 200)
        }
    }

    @Test func rateLimitHeadersAndExhaustion() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let first = try await Self.get(pd, "/users/PALICE1")
            #expect(first.header("ratelimit-limit") == "960")
            #expect(first.header("ratelimit-remaining") == "959")
            #expect(Int(first.header("ratelimit-reset") ?? "") ?? 0 > 0)
            pd.restRateLimit = 2
            #expect(try await Self.get(pd, "/users/PALICE1").header("ratelimit-remaining") == "1")
            #expect(try await Self.get(pd, "/oncalls").header("ratelimit-remaining") == "0")
            let limited = try await Self.get(pd, "/users/PALICE1")
            #expect(limited.status == 429)
            #expect(limited.json == ["error": ["message": "Rate Limit Exceeded", "code": 2020]])
            #expect(limited.header("ratelimit-remaining") == "0")
            // And the bare 429 some answers are.
            pd.restRateLimit = 960
            pd.rest.inject(.tooManyRequests(retryAfter: nil))
            let bare = try await Self.get(pd, "/users/PALICE1")
            #expect(bare.status == 429 && bare.body.isEmpty && bare.header("ratelimit-limit") == nil)
        }
    }

    @Test func onCallsNowWithPaginationFields() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let answer = try await Self.get(pd, "/oncalls")
            #expect(answer.status == 200)
            // Bob's next Platform shift has not started.
            #expect(Self.oncalls(answer) == ["PALICE1 PPLATFM L1", "PCAROL3 PPLATFM L2", "PBOBBY2 PPAYMNT L1", "PALICE1 PPAYMNT L2"])
            #expect(answer.json?["limit"] == 25 && answer.json?["offset"] == 0 && answer.json?["more"] == false)
            #expect(answer.json?["total"] == .null)
            let first = try #require(answer.json?["oncalls"]?[0])
            #expect(first["user"]?["type"] == "user_reference" && first["user"]?["email"] == nil)
            #expect(first["schedule"]?["id"] == "PSCHPLT" && first["start"]?.string != nil)
            let permanent = try #require(answer.json?["oncalls"]?[1])
            #expect(permanent["schedule"] == .null && permanent["start"] == .null && permanent["end"] == .null)
        }
    }

    @Test func onCallFiltersAreBracketedAndRepeatable() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?escalation_policy_ids%5B%5D=PPLATFM")) == ["PALICE1 PPLATFM L1", "PCAROL3 PPLATFM L2"])
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?escalation_policy_ids%5B%5D=PPLATFM&escalation_policy_ids%5B%5D=PPAYMNT")).count == 4)
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?user_ids%5B%5D=PALICE1")) == ["PALICE1 PPLATFM L1", "PALICE1 PPAYMNT L2"])
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?schedule_ids%5B%5D=PSCHPAY")) == ["PBOBBY2 PPAYMNT L1"])
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?schedule_ids%5B%5D=null")) == ["PCAROL3 PPLATFM L2", "PALICE1 PPAYMNT L2"])
            // Without brackets the name is not a list parameter and filters nothing.
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls?user_ids=PALICE1")).count == 4)
            #expect(pd.rest.callLog().first == "GET /oncalls · escalation_policy_ids[]=PPLATFM")
        }
    }

    @Test func onCallWindowAndEarliest() async throws {
        let policy = FakePagerDuty.Reference(id: "PPOLICY", name: "Policy")
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        let shifts = (0..<3).map { week in
            FakePagerDuty.OnCall(
                userID: "PALICE1", escalationPolicy: policy, level: 1, schedule: .init(id: "PSCHED", name: "Rotation"),
                start: base.addingTimeInterval(Double(week) * 7 * 86_400), end: base.addingTimeInterval(Double(week + 1) * 7 * 86_400))
        }
        let seeded = FakePagerDuty.seeded()
        let pd = FakePagerDuty(routingKeys: [], apiTokens: seeded.apiTokens, users: seeded.users, services: [], oncalls: shifts, now: { base.addingTimeInterval(3600) })
        try await pd.running { pd async throws in
            #expect(Self.oncalls(try await Self.get(pd, "/oncalls")).count == 1)
            let weeks = "/oncalls?since=2027-01-15T08:00:00Z&until=2027-02-05T08:00:00%2B01:00"
            let all = try await Self.get(pd, weeks)
            #expect(Self.oncalls(all).count == 3)
            let earliest = try await Self.get(pd, weeks + "&earliest=true")
            #expect(earliest.json?["oncalls"]?.array?.count == 1)
            #expect(earliest.json?["oncalls"]?[0]?["start"] == "2027-01-15T08:00:00Z")
            #expect(try await Self.get(pd, "/oncalls?since=2027-01-20T00:00:00Z&until=2027-01-19T00:00:00Z").status == 400)
            #expect(try await Self.get(pd, "/oncalls?since=yesterday").status == 400)
        }
    }

    @Test func includeUsersInlinesFullUsers() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let answer = try await Self.get(pd, "/oncalls?escalation_policy_ids%5B%5D=PPLATFM&earliest=true&include%5B%5D=users")
            let users = answer.json?["oncalls"]?.array?.compactMap { $0["user"] } ?? []
            #expect(users.map { $0["email"]?.string } == ["alice@casebook.test", "carol@casebook.test"])
            #expect(users.allSatisfy { $0["type"] == "user" && $0["name"]?.string != nil })
        }
    }

    @Test func limitOffsetMoreAndTotal() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let page = try await Self.get(pd, "/oncalls?limit=1&offset=1&total=true")
            #expect(Self.oncalls(page) == ["PCAROL3 PPLATFM L2"])
            #expect(page.json?["limit"] == 1 && page.json?["offset"] == 1 && page.json?["more"] == true && page.json?["total"] == 4)
            let last = try await Self.get(pd, "/oncalls?limit=2&offset=2")
            #expect(last.json?["more"] == false && last.json?["total"] == .null)
            #expect(try await Self.get(pd, "/oncalls?limit=500").json?["limit"] == 100)
            let tooFar = try await Self.get(pd, "/oncalls?offset=9950&limit=100")
            #expect(tooFar.status == 400)
            #expect(tooFar.json?["error"]?["code"] == 2001)
            #expect(try await Self.get(pd, "/oncalls?offset=9900&limit=100").status == 200)
            #expect(try await Self.get(pd, "/oncalls?limit=0").status == 400)
            #expect(try await Self.get(pd, "/oncalls?offset=-1").status == 400)
        }
    }

    @Test func usersByID() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let answer = try await Self.get(pd, "/users/PBOBBY2")
            #expect(answer.json?["user"]?["email"] == "bob@casebook.test")
            #expect(answer.json?["user"]?["name"] == "Bob Baker")
            let missing = try await Self.get(pd, "/users/PNOBODY")
            #expect(missing.status == 404)
            #expect(missing.json == ["error": ["message": "Not Found", "code": 2100]])
        }
    }

    static func incident(_ title: String = "Checkout is down", key: String? = "case-7", service: String = "PSVCAPI") -> JSONValue {
        var incident: [String: JSONValue] = ["type": "incident", "title": .string(title), "service": ["id": .string(service), "type": "service_reference"]]
        if let key { incident["incident_key"] = .string(key) }
        return ["incident": .object(incident)]
    }

    static func create(_ pd: FakePagerDuty, _ body: JSONValue, from: String? = "alice@casebook.test") async throws -> Answer {
        var headers = [auth]
        if let from { headers.append(("From", from)) }
        return try await HTTP.send(.POST, pd.rest.baseURL + "/incidents", json: body, headers: headers)
    }

    @Test func createIncidentNeedsFromAndFields() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let noFrom = try await Self.create(pd, Self.incident(), from: nil)
            #expect(noFrom.status == 400 && noFrom.json?["error"]?["code"] == 2001)
            #expect(try await Self.create(pd, Self.incident(), from: "mallory@evil.test").status == 400)
            let empty = try await Self.create(pd, ["incident": [:]])
            #expect(empty.status == 400)
            #expect(empty.json?["error"]?["errors"]?.array?.count == 3)
            let unknownService = try await Self.create(pd, Self.incident(service: "PNOPE"))
            #expect(unknownService.json?["error"]?["errors"] == ["Incident service not found"])
            #expect(pd.incidents.isEmpty)
        }
    }

    @Test func createIncidentAndRefuseAnOpenDuplicateKey() async throws {
        try await FakePagerDuty.seeded().running { pd async throws in
            let created = try await Self.create(pd, Self.incident())
            #expect(created.status == 201)
            let incident = try #require(created.json?["incident"])
            let id = try #require(incident["id"]?.string)
            #expect(incident["incident_number"] == 1 && incident["status"] == "triggered" && incident["incident_key"] == "case-7")
            #expect(incident["title"] == "Checkout is down" && incident["service"]?["id"] == "PSVCAPI")
            #expect(incident["html_url"]?.string?.hasSuffix("/incidents/\(id)") == true)
            #expect(pd.incidents.map(\.createdBy) == ["alice@casebook.test"])
            let duplicate = try await Self.create(pd, Self.incident("Again"))
            #expect(duplicate.status == 400)
            #expect(duplicate.json?["error"]?["message"] == "Incident Already Exists")
            // Another key is another incident; a resolved key can be used again.
            #expect(try await Self.create(pd, Self.incident(key: "case-8")).json?["incident"]?["incident_number"] == 2)
            let resolved = try await HTTP.send(.PUT, pd.rest.baseURL + "/incidents/\(id)", json: ["incident": ["type": "incident", "status": "resolved"]], headers: [Self.auth])
            #expect(resolved.json?["incident"]?["status"] == "resolved")
            #expect(try await Self.create(pd, Self.incident()).status == 201)
            #expect(pd.incidents.map(\.incidentKey) == ["case-7", "case-8", "case-7"])
            #expect(pd.rest.callLog().first == #"POST /incidents · title="Checkout is down" service=PSVCAPI incident_key=case-7"#)
        }
    }
}
