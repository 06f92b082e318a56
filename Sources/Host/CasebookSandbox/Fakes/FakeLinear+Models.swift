import CasebookKit
import Foundation

extension FakeLinear {
    public struct Team: Sendable, Equatable {
        /// A UUID: what `teamId` takes.
        public var id: String
        /// The short key in identifiers (`ENG` in `ENG-123`).
        public var key: String
        public var name: String

        public init(id: String, key: String, name: String) {
            self.id = id
            self.key = key
            self.name = name
        }
    }

    public struct Label: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct Project: Sendable, Equatable {
        public var id: String
        public var name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public struct User: Sendable, Equatable {
        public var id: String
        public var name: String
        public var email: String

        public init(id: String, name: String, email: String) {
            self.id = id
            self.name = name
            self.email = email
        }
    }

    /// An issue as `issueCreate` stored it.
    public struct Issue: Sendable, Equatable {
        public var id: String
        public var number: Int
        public var identifier: String
        public var url: String
        public var title: String
        public var description: String?
        public var priority: Int
        public var teamID: String
        public var projectID: String?
        public var labelIDs: [String]
        public var dueDate: String?
        public var createdAt: Date
        /// Who created it: the key's user.
        public var creatorID: String

        static let priorityLabels = ["No priority", "Urgent", "High", "Medium", "Low"]

        /// The issue as the API presents it (every field the fake knows; the selection picks).
        func json(team: Team?, project: Project?) -> JSONValue {
            var object: [String: JSONValue] = [
                "__typename": "Issue", "id": .string(id), "identifier": .string(identifier), "url": .string(url), "title": .string(title),
                "number": .number(Double(number)), "priority": .number(Double(priority)),
                "priorityLabel": .string(Self.priorityLabels[max(0, min(priority, 4))]),
                "description": description.map(JSONValue.string) ?? .null, "dueDate": dueDate.map(JSONValue.string) ?? .null,
                "createdAt": .string(createdAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
                "branchName": .string("\(identifier.lowercased())-\(FakeLinear.slug(title))"),
            ]
            object["team"] = team.map { $0.json } ?? .null
            object["project"] = project.map { $0.json } ?? .null
            return .object(object)
        }
    }
}

extension FakeLinear.Team {
    var json: JSONValue { ["__typename": "Team", "id": .string(id), "key": .string(key), "name": .string(name)] }
}

extension FakeLinear.Label {
    var json: JSONValue { ["__typename": "IssueLabel", "id": .string(id), "name": .string(name)] }
}

extension FakeLinear.Project {
    var json: JSONValue { ["__typename": "Project", "id": .string(id), "name": .string(name)] }
}

extension FakeLinear.User {
    var json: JSONValue {
        ["__typename": "User", "id": .string(id), "name": .string(name), "displayName": .string(name), "email": .string(email)]
    }
}

extension FakeLinear {
    /// How the fake limits requests: `requests` per `window` per credential, Linear's leaky bucket
    /// approximated by a sliding window.
    public struct RateLimit: Sendable, Equatable {
        public var requests: Int
        public var window: TimeInterval
        /// How a refusal is sent: Linear's observed HTTP 400 with `RATELIMITED`, or a plain 429.
        public var refusal: Refusal

        public enum Refusal: Sendable, Equatable {
            case graphQL400
            case http429
        }

        public init(requests: Int, window: TimeInterval, refusal: Refusal = .graphQL400) {
            self.requests = requests
            self.window = window
            self.refusal = refusal
        }

        /// Observed for an API key in 2023: 1,500 requests an hour.
        public static let documented = RateLimit(requests: 1_500, window: 3_600)
    }

    /// The title's URL slug (`checkout-errors`), as in Linear's issue URLs and branch names.
    static func slug(_ title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }
}
