import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite struct PagerDutyEventsTests {
    static let key = FakePagerDuty.seededRoutingKey
    static let otherKey = "b3c1d2e4f5a60718293a4b5c6d7e8f90"

    static func fake() -> FakePagerDuty {
        let seeded = FakePagerDuty.seeded()
        return FakePagerDuty(
            routingKeys: [key, otherKey, "R0123456789abcdef0123456789abcde"], apiTokens: seeded.apiTokens,
            users: seeded.users, services: seeded.services, oncalls: seeded.oncalls)
    }

    static func trigger(_ dedupKey: String? = nil, key: String = key, summary: String = "API error rate above 5%") -> JSONValue {
        var event: [String: JSONValue] = [
            "routing_key": .string(key), "event_action": "trigger",
            "payload": ["summary": .string(summary), "source": "api-1", "severity": "critical", "custom_details": ["case": "CASE-7"]],
            "links": [["href": "https://casebook.test/cases/7", "text": "Case 7"]],
        ]
        if let dedupKey { event["dedup_key"] = .string(dedupKey) }
        return .object(event)
    }

    static func follow(_ action: String, _ dedupKey: String, key: String = key) -> JSONValue {
        ["routing_key": .string(key), "event_action": .string(action), "dedup_key": .string(dedupKey)]
    }

    static func send(_ pagerDuty: FakePagerDuty, _ event: JSONValue, path: String = "/v2/enqueue") async throws -> Answer {
        try await HTTP.send(.POST, pagerDuty.events.baseURL + path, json: event)
    }

    static func errors(_ answer: Answer) -> [String] {
        answer.json?["errors"]?.array?.compactMap(\.string) ?? []
    }

    @Test func unparsableJSONIsAnUnrecognizedObject() async throws {
        try await Self.fake().running { pd async throws in
            for body in ["{\"routing_key\":", "[1, 2]", ""] {
                let answer = try await HTTP.send(.POST, pd.events.baseURL + "/v2/enqueue", body: Data(body.utf8))
                #expect(answer.status == 400)
                #expect(answer.json == ["status": "Unrecognized object", "message": "Event object format is unrecognized", "errors": ["JSON parse error"]])
            }
            #expect(pd.acceptedEvents.isEmpty)
        }
    }

    @Test func routingKeyProblemsAreEachNamed() async throws {
        try await Self.fake().running { pd async throws in
            func problems(_ key: JSONValue?) async throws -> [String] {
                var event = Self.trigger().object ?? [:]
                event["routing_key"] = key
                let answer = try await Self.send(pd, .object(event))
                #expect(answer.status == 400)
                #expect(answer.json?["status"] == "invalid event" && answer.json?["message"] == "Event object is invalid")
                return Self.errors(answer)
            }
            #expect(try await problems(nil) == ["'routing_key' cannot be blank"])
            #expect(try await problems("  ") == ["'routing_key' cannot be blank"])
            #expect(try await problems("abc123") == ["Length of 'routing_key' is incorrect (should be 32 characters)"])
            #expect(try await problems("e93facc04764012d7bfb002500d5d1a-") == ["'routing_key' cannot contain non-alphanumeric characters."])
            #expect(try await problems("short-key") == [
                "Length of 'routing_key' is incorrect (should be 32 characters)",
                "'routing_key' cannot contain non-alphanumeric characters.",
            ])
            #expect(try await problems("00000000000000000000000000000000") == ["Invalid routing key"])
        }
    }

    @Test func everyProblemOfAnEventIsReportedAtOnce() async throws {
        try await Self.fake().running { pd async throws in
            let answer = try await Self.send(pd, [
                "routing_key": "bad key", "dedup_key": .string(String(repeating: "d", count: 256)),
                "payload": ["summary": .string(String(repeating: "s", count: 1025)), "severity": "urgent"],
                "links": [["text": "no href"]], "images": [["src": "http://insecure.test/a.png"], ["alt": "no src"]],
            ])
            #expect(answer.status == 400)
            #expect(Self.errors(answer) == [
                "Length of 'routing_key' is incorrect (should be 32 characters)",
                "'routing_key' cannot contain non-alphanumeric characters.",
                "'event_action' is missing or blank",
                "'dedup_key' is too long (maximum is 255 characters)",
                "'links[0].href' is missing or blank",
                "'images[0].src' must be an HTTPS URL",
                "'images[1].src' is missing or blank",
            ])
        }
    }

    @Test func triggerPayloadIsValidated() async throws {
        try await Self.fake().running { pd async throws in
            func problems(_ payload: JSONValue?, action: JSONValue = "trigger") async throws -> [String] {
                try await Self.errors(Self.send(pd, ["routing_key": .string(Self.key), "event_action": action, "payload": payload ?? .null]))
            }
            #expect(try await problems(nil) == ["'payload' is missing or blank"])
            #expect(try await problems([:]) == [
                "'payload.summary' is missing or blank", "'payload.source' is missing or blank", "'payload.severity' is missing or blank",
            ])
            #expect(try await problems(["summary": .string(String(repeating: "x", count: 1025)), "source": "a", "severity": "critical"])
                == ["'payload.summary' is too long (maximum is 1024 characters)"])
            #expect(try await problems(["summary": "x", "source": "a", "severity": "high"])
                == ["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"])
            #expect(try await problems(["summary": "x", "source": "a", "severity": "info"], action: "page")
                == ["'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')"])
            // A summary of exactly 1024 characters is fine.
            let longest = try await Self.send(pd, Self.trigger(summary: String(repeating: "x", count: 1024)))
            #expect(longest.status == 202)
        }
    }

    @Test func acknowledgeAndResolveNeedADedupKey() async throws {
        try await Self.fake().running { pd async throws in
            for action in ["acknowledge", "resolve"] {
                let answer = try await Self.send(pd, ["routing_key": .string(Self.key), "event_action": .string(action)])
                #expect(Self.errors(answer) == ["'dedup_key' is missing or blank"])
            }
        }
    }

    @Test func eventsOver512KBAreRefused() async throws {
        try await Self.fake().running { pd async throws in
            let big = Self.trigger().object.map { event -> JSONValue in
                var event = event
                event["payload"] = ["summary": "x", "source": "a", "severity": "info", "custom_details": ["blob": .string(String(repeating: "a", count: 512 * 1024))]]
                return .object(event)
            }
            let answer = try await Self.send(pd, try #require(big))
            #expect(answer.status == 400)
            #expect(Self.errors(answer) == ["Event object is too large (maximum is 512 KB)"])
            #expect(pd.acceptedEvents.isEmpty)
        }
    }

    @Test func acceptedTriggersAnswer202AndAreRecorded() async throws {
        try await Self.fake().running { pd async throws in
            let answer = try await Self.send(pd, Self.trigger("case-7"))
            #expect(answer.status == 202)
            #expect(answer.json == ["status": "success", "message": "Event processed", "dedup_key": "case-7"])
            let generated = try await Self.send(pd, Self.trigger())
            let dedupKey = try #require(generated.json?["dedup_key"]?.string)
            #expect(UUID(uuidString: dedupKey) != nil)
            let events = pd.acceptedEvents
            #expect(events.map(\.dedupKey) == ["case-7", dedupKey])
            let first = try #require(events.first)
            #expect(first.action == .trigger && first.routingKey == Self.key)
            #expect(first.summary == "API error rate above 5%" && first.severity == "critical" && first.source == "api-1")
            #expect(first.customDetails == ["case": "CASE-7"])
            #expect(first.links == [FakePagerDuty.Link(href: "https://casebook.test/cases/7", text: "Case 7")])
            // Two triggers without a dedup key are two alerts.
            #expect(pd.alerts.count == 2)
        }
    }

    @Test func alertsFoldByRoutingAndDedupKey() async throws {
        try await Self.fake().running { pd async throws in
            // Follow-ups with no open alert are accepted and change nothing.
            #expect(try await Self.send(pd, Self.follow("resolve", "case-7")).status == 202)
            #expect(try await Self.send(pd, Self.follow("acknowledge", "case-7")).status == 202)
            #expect(pd.alerts.isEmpty)
            _ = try await Self.send(pd, Self.trigger("case-7"))
            _ = try await Self.send(pd, Self.trigger("case-7"))
            #expect(pd.alerts.map(\.triggerCount) == [2])
            // The same dedup key through another integration is another alert; its resolve does not touch ours.
            _ = try await Self.send(pd, Self.trigger("case-7", key: Self.otherKey))
            _ = try await Self.send(pd, Self.follow("resolve", "case-7", key: Self.otherKey))
            #expect(pd.alerts.map(\.status) == [.triggered, .resolved])
            _ = try await Self.send(pd, Self.follow("acknowledge", "case-7"))
            _ = try await Self.send(pd, Self.trigger("case-7"))
            #expect(pd.alerts[0].status == .acknowledged && pd.alerts[0].triggerCount == 3)
            _ = try await Self.send(pd, Self.follow("resolve", "case-7"))
            #expect(pd.alerts[0].status == .resolved)
            // After the resolve, a trigger opens a new alert.
            _ = try await Self.send(pd, Self.trigger("case-7"))
            let ours = pd.alerts.filter { $0.routingKey == Self.key }
            #expect(ours.map(\.status) == [.resolved, .triggered])
            #expect(ours.map(\.isOpen) == [false, true])
            #expect(pd.acceptedEvents.count == 10)
        }
    }

    @Test func changeEvents() async throws {
        try await Self.fake().running { pd async throws in
            let change: JSONValue = ["routing_key": .string(Self.key), "payload": ["summary": "Deployed api v1.2", "source": "ci"], "links": [["href": "https://ci.test/1"]]]
            let answer = try await Self.send(pd, change, path: "/v2/change/enqueue")
            #expect(answer.status == 202)
            #expect(answer.json?["status"] == "success")
            #expect(pd.changeEvents.map(\.summary) == ["Deployed api v1.2"])
            #expect(pd.acceptedEvents.isEmpty && pd.alerts.isEmpty)
            let ruleset = try await Self.send(pd, ["routing_key": "R0123456789abcdef0123456789abcde", "payload": ["summary": "x"]], path: "/v2/change/enqueue")
            #expect(Self.errors(ruleset) == ["'routing_key' is a ruleset key: change events must use an integration key"])
            let noSummary = try await Self.send(pd, ["routing_key": .string(Self.key), "payload": ["source": "ci"]], path: "/v2/change/enqueue")
            #expect(Self.errors(noSummary) == ["'payload.summary' is missing or blank"])
            #expect(pd.changeEvents.count == 1)
        }
    }

    @Test func slidingWindowLimiterIsPerKeyAndOffByDefault() async throws {
        try await Self.fake().running { pd async throws in
            #expect(pd.eventRateLimit == nil)
            for _ in 0..<5 { #expect(try await Self.send(pd, Self.trigger("a")).status == 202) }
            pd.eventRateLimit = 2
            #expect(try await Self.send(pd, Self.trigger("a")).status == 202)
            #expect(try await Self.send(pd, Self.trigger("a")).status == 202)
            let throttled = try await Self.send(pd, Self.trigger("a"))
            #expect(throttled.status == 429)
            #expect(throttled.json?["status"] == "throttle event")
            #expect(try await Self.send(pd, Self.trigger("a", key: Self.otherKey)).status == 202)
            #expect(pd.acceptedEvents.count == 8)
        }
    }

    @Test func injectedFaultsReachEventClients() async throws {
        try await Self.fake().running { pd async throws in
            pd.events.inject(.status(500), count: 2)
            #expect(try await Self.send(pd, Self.trigger("a")).status == 500)
            #expect(try await Self.send(pd, Self.trigger("a")).status == 500)
            #expect(try await Self.send(pd, Self.trigger("a")).status == 202)
            #expect(pd.acceptedEvents.count == 1)
        }
    }

    @Test func callLogShowsTheSalientFields() async throws {
        try await Self.fake().running { pd async throws in
            _ = try await Self.send(pd, Self.trigger("case-7"))
            _ = try await Self.send(pd, Self.follow("resolve", "case-7"))
            _ = try await HTTP.send(.POST, pd.events.baseURL + "/v2/enqueue", body: Data("nope".utf8))
            #expect(pd.events.name == "pagerduty")
            #expect(pd.events.callLog() == [
                #"POST /v2/enqueue · trigger dedup_key=case-7 severity=critical summary="API error rate above 5%""#,
                "POST /v2/enqueue · resolve dedup_key=case-7",
                "POST /v2/enqueue · (not a JSON object)",
            ])
        }
    }
}
