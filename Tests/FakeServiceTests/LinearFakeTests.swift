import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

extension FakeLinear: Startable {}

/// FakeLinear against reference/integrations.md §5's checklist, over real HTTP.
@Suite struct LinearFakeTests {
    static let key = ("Authorization", FakeLinear.seededAPIKey)
    static let create = "mutation Create($input: IssueCreateInput!) { issueCreate(input: $input) { success lastSyncId issue { id identifier url title priority } } }"

    static func graphQL(
        _ fake: FakeLinear, _ query: String, variables: JSONValue = [:], headers: [(String, String)] = [key]
    ) async throws -> Answer {
        try await HTTP.send(.POST, fake.graphQLURL, json: ["query": .string(query), "variables": variables], headers: headers)
    }

    static func input(id: String? = nil, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var input: [String: JSONValue] = ["teamId": .string(FakeLinear.seededTeamID), "title": "Postmortem: Checkout errors"]
        if let id { input["id"] = .string(id) }
        input.merge(extra) { _, new in new }
        return ["input": .object(input)]
    }

    @Test func anAPIKeyGoesBareAndAnOAuthTokenAfterBearer() async throws {
        try await FakeLinear.seeded().running { fake async throws in
            let refused: [[(String, String)]] = [[], [("Authorization", "Bearer \(FakeLinear.seededAPIKey)")], [("Authorization", "lin_api_wrong")]]
            for headers in refused {
                let answer = try await Self.graphQL(fake, "{ viewer { id } }", headers: headers)
                #expect(answer.status == 400)
                #expect(answer.json?["errors"]?[0]?["extensions"]?["type"] == "authentication error")
                #expect(answer.json?["errors"]?[0]?["message"] == "Authentication required, not authenticated")
            }
            fake.authenticationErrorStatus = 401
            #expect(try await Self.graphQL(fake, "{ viewer { id } }", headers: []).status == 401)
            let viewer = try await Self.graphQL(fake, "{ me: viewer { name } }")
            #expect(viewer.status == 200)
            #expect(viewer.json == ["data": ["me": ["name": "Alice Archer"]]])
            let oauth = try await Self.graphQL(fake, "{ viewer { id } }", headers: [("Authorization", "Bearer \(FakeLinear.seededOAuthToken)")])
            #expect(oauth.status == 200)
        }
    }

    @Test func issueCreateAnswersOnlyTheSelectedFieldsAndNumbersWithinTheTeam() async throws {
        try await FakeLinear.seeded().running { fake async throws in
            let id = UUID().uuidString.lowercased()
            let answer = try await Self.graphQL(fake, Self.create, variables: Self.input(id: id, ["priority": 1]))
            #expect(answer.status == 200)
            let payload = try #require(answer.json?["data"]?["issueCreate"])
            #expect(payload["success"] == JSONValue.bool(true))
            #expect(payload["lastSyncId"]?.double != nil)
            #expect(payload["issue"] == [
                "id": .string(id), "identifier": "ENG-1", "url": "https://linear.app/casebook/issue/ENG-1/postmortem-checkout-errors",
                "title": "Postmortem: Checkout errors", "priority": 1,
            ])
            let second = try await Self.graphQL(fake, Self.create, variables: Self.input())
            #expect(second.json?["data"]?["issueCreate"]?["issue"]?["identifier"] == "ENG-2")
            #expect(fake.creates == 2)
            let read = try await Self.graphQL(fake, "query($id: String!) { issue(id: $id) { identifier team { key } } }", variables: ["id": .string(id)])
            #expect(read.json == ["data": ["issue": ["identifier": "ENG-1", "team": ["key": "ENG"]]]])
        }
    }

    @Test func aReusedIDIsRefusedWithHTTP200AndNoSecondIssue() async throws {
        try await FakeLinear.seeded().running { fake async throws in
            let id = UUID().uuidString.lowercased()
            #expect(try await Self.graphQL(fake, Self.create, variables: Self.input(id: id)).status == 200)
            let again = try await Self.graphQL(fake, Self.create, variables: Self.input(id: id))
            #expect(again.status == 200)
            #expect(again.json?["data"] == .null)
            #expect(again.json?["errors"]?[0]?["extensions"]?["code"] == "INPUT_ERROR")
            #expect(again.json?["errors"]?[0]?["path"] == ["issueCreate"])
            #expect(fake.creates == 1)
        }
    }

    static let invalidValues: [([String: JSONValue], String)] = [
        (["teamId": "00000000-0000-4000-8000-000000000000"], "Entity not found: Team"),
        (["priority": 7], "priority must be between 0"),
        (["labelIds": ["00000000-0000-4000-8000-000000000001"]], "Entity not found: IssueLabel"),
        (["projectId": "00000000-0000-4000-8000-000000000002"], "Entity not found: Project"),
        (["title": ""], "title should not be empty"),
        (["dueDate": "next week"], "dueDate must be a date"),
        (["id": "not-a-uuid"], "id must be a UUID"),
    ]

    @Test(arguments: LinearFakeTests.invalidValues)
    func invalidValuesAreUserErrorsWithHTTP200(extra: [String: JSONValue], words: String) async throws {
        try await FakeLinear.seeded().running { fake async throws in
            let answer = try await Self.graphQL(fake, Self.create, variables: Self.input(extra))
            #expect(answer.status == 200)
            let error = try #require(answer.json?["errors"]?[0])
            #expect(error["message"]?.string?.contains(words) == true, "\(error)")
            #expect(error["extensions"]?["type"] == "invalid input")
            #expect(error["extensions"]?["statusCode"] == JSONValue.number(400))
            #expect(fake.creates == 0)
        }
    }

    @Test func inputsAndSelectionsThatDoNotFitTheSchemaAreRefusedWithHTTP400() async throws {
        try await FakeLinear.seeded().running { fake async throws in
            let unknownField = try await Self.graphQL(fake, Self.create, variables: Self.input(["severity": "sev1"]))
            #expect(unknownField.status == 400)
            #expect(unknownField.json?["errors"]?[0]?["message"]?.string?.contains("Field \"severity\" is not defined by type \"IssueCreateInput\"") == true)
            let noTeam = try await Self.graphQL(fake, Self.create, variables: ["input": ["title": "x"]])
            #expect(noTeam.json?["errors"]?[0]?["message"]?.string?.contains("Field \"teamId\" of required type \"String!\" was not provided") == true)
            let wrongType = try await Self.graphQL(fake, Self.create, variables: Self.input(["priority": "urgent"]))
            #expect(wrongType.json?["errors"]?[0]?["message"]?.string?.contains("Int cannot represent non-integer value") == true)
            let unknownSelection = try await Self.graphQL(fake, "{ viewer { id shoeSize } }")
            #expect(unknownSelection.status == 400)
            #expect(unknownSelection.json?["errors"]?[0]?["message"] == "Cannot query field \"shoeSize\" on type \"User\".")
            let syntax = try await Self.graphQL(fake, "{ viewer { id }")
            #expect(syntax.status == 400)
            let missingVariable = try await Self.graphQL(fake, Self.create, variables: [:])
            #expect(missingVariable.json?["errors"]?[0]?["message"] == "Variable \"$input\" of required type \"IssueCreateInput!\" was not provided.")
            #expect(fake.creates == 0)
        }
    }

    @Test func everyAnswerCarriesTheBudgetAndASpentBudgetIsRatelimitedAsHTTP400() async throws {
        try await FakeLinear.seeded().running { fake async throws in
            fake.rateLimit = FakeLinear.RateLimit(requests: 2, window: 60)
            let first = try await Self.graphQL(fake, "{ viewer { id } }")
            #expect(first.header("X-RateLimit-Requests-Limit") == "2")
            #expect(first.header("X-RateLimit-Requests-Remaining") == "1")
            #expect(first.header("X-Complexity") != nil && first.header("X-RateLimit-Complexity-Remaining") != nil)
            let reset = try #require(first.header("X-RateLimit-Requests-Reset").flatMap(Double.init))
            #expect(reset > Date().timeIntervalSince1970 * 1000 && reset <= (Date().timeIntervalSince1970 + 61) * 1000, "epoch milliseconds")
            _ = try await Self.graphQL(fake, "{ viewer { id } }")
            let refused = try await Self.graphQL(fake, "{ viewer { id } }")
            #expect(refused.status == 400)
            #expect(refused.json?["errors"]?[0]?["extensions"]?["code"] == "RATELIMITED")
            #expect(refused.json?["errors"]?[0]?["extensions"]?["statusCode"] == JSONValue.number(429))
            #expect(refused.header("X-RateLimit-Requests-Remaining") == "0")

            fake.rateLimit = FakeLinear.RateLimit(requests: 0, window: 60, refusal: .http429)
            #expect(try await Self.graphQL(fake, "{ viewer { id } }").status == 429)
        }
    }
}
