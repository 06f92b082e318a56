import CasebookKit
import Foundation

/// The slice of Linear's schema (reference/data/linear/schema.graphql) the fake serves: the object
/// types a client may select from, and `IssueCreateInput` field by field, so a request the real
/// API would refuse for its shape is refused here too.
enum FakeLinearSchema {
    /// Type → field → the field's object type (nil for a scalar or enum).
    static let objects: [String: [String: String?]] = [
        "Query": ["issue": "Issue", "viewer": "User", "teams": "TeamConnection", "team": "Team", "issueLabels": "IssueLabelConnection", "projects": "ProjectConnection"],
        "Mutation": ["issueCreate": "IssuePayload"],
        "IssuePayload": ["success": nil, "lastSyncId": nil, "issue": "Issue"],
        "Issue": [
            "id": nil, "identifier": nil, "url": nil, "title": nil, "number": nil, "priority": nil, "priorityLabel": nil, "description": nil,
            "dueDate": nil, "createdAt": nil, "branchName": nil, "team": "Team", "project": "Project",
        ],
        "Team": ["id": nil, "key": nil, "name": nil],
        "User": ["id": nil, "name": nil, "displayName": nil, "email": nil],
        "IssueLabel": ["id": nil, "name": nil],
        "Project": ["id": nil, "name": nil],
        "TeamConnection": ["nodes": "Team"],
        "IssueLabelConnection": ["nodes": "IssueLabel"],
        "ProjectConnection": ["nodes": "Project"],
    ]

    /// `input IssueCreateInput` as the schema declares it.
    static let issueCreateInput: [String: String] = [
        "assigneeId": "String", "completedAt": "DateTime", "createAsUser": "String", "createdAt": "DateTime", "cycleId": "String",
        "delegateId": "String", "description": "String", "descriptionData": "JSON", "displayIconUrl": "String", "dueDate": "TimelessDate",
        "estimate": "Int", "id": "String", "inheritsSharedAccess": "Boolean", "labelIds": "[String!]", "lastAppliedTemplateId": "String",
        "parentId": "String", "preserveSortOrderOnCreate": "Boolean", "priority": "Int", "prioritySortOrder": "Float",
        "projectId": "String", "projectMilestoneId": "String", "referenceCommentId": "String", "releaseIds": "[String!]",
        "slaBreachesAt": "DateTime", "slaStartedAt": "DateTime", "slaType": "SLADayCountType", "sortOrder": "Float",
        "sourceCommentId": "String", "sourcePullRequestCommentId": "String", "stateId": "String", "subIssueSortOrder": "Float",
        "subscriberIds": "[String!]", "teamId": "String!", "templateId": "String", "title": "String", "useDefaultTemplate": "Boolean",
    ]

    static let enums: [String: Set<String>] = ["SLADayCountType": ["all", "onlyBusinessDays"]]

    /// Problems of a selection against `type` (unknown fields, scalars with sub-selections, objects without).
    static func validate(_ fields: [GraphQL.Field], on type: String) -> [String] {
        guard let known = objects[type] else { return [] }
        var problems: [String] = []
        for field in fields where field.name != "__typename" {
            guard let entry = known[field.name] else {
                problems.append("Cannot query field \"\(field.name)\" on type \"\(type)\".")
                continue
            }
            if let object = entry {
                if field.selections.isEmpty {
                    problems.append("Field \"\(field.name)\" of type \"\(object)\" must have a selection of subfields. Did you mean \"\(field.name) { ... }\"?")
                } else {
                    problems += validate(field.selections, on: object)
                }
            } else if !field.selections.isEmpty {
                problems.append("Field \"\(field.name)\" must not have a selection since its type has no subfields.")
            }
        }
        return problems
    }

    /// Problems coercing `value` to `IssueCreateInput`, in graphql-js's words.
    static func coerceIssueCreateInput(_ value: JSONValue, variable: String) -> [String] {
        let prefix = "Variable \"$\(variable)\" got invalid value"
        guard let object = value.object else { return ["\(prefix) \(value.encoded()); Expected type \"IssueCreateInput\" to be an object."] }
        var problems: [String] = []
        for name in object.keys.sorted() where issueCreateInput[name] == nil {
            problems.append("\(prefix) \(value.encoded()); Field \"\(name)\" is not defined by type \"IssueCreateInput\".")
        }
        for (name, type) in issueCreateInput.sorted(by: { $0.key < $1.key }) {
            let given = object[name]
            if type.hasSuffix("!"), given == nil || given == .null {
                problems.append("\(prefix) \(value.encoded()); Field \"\(name)\" of required type \"\(type)\" was not provided.")
                continue
            }
            guard let given, given != .null else { continue }
            if let problem = coerce(given, to: type.hasSuffix("!") ? String(type.dropLast()) : type) {
                problems.append("\(prefix) \(given.encoded()) at \"\(variable).\(name)\"; \(problem)")
            }
        }
        return problems
    }

    private static func coerce(_ value: JSONValue, to type: String) -> String? {
        if type.hasPrefix("[") {
            let inner = String(type.dropFirst().dropLast())
            let items = value.array ?? [value]
            for item in items {
                if item == .null, inner.hasSuffix("!") { return "Expected non-nullable type \"\(inner)\" not to be null." }
                if let problem = coerce(item, to: inner.hasSuffix("!") ? String(inner.dropLast()) : inner) { return problem }
            }
            return nil
        }
        switch type {
        case "String", "DateTime", "TimelessDate":
            return value.string == nil ? "\(type) cannot represent a non string value: \(value.encoded())" : nil
        case "Int":
            guard let number = value.double, number.rounded() == number, abs(number) <= 2_147_483_647 else {
                return "Int cannot represent non-integer value: \(value.encoded())"
            }
            return nil
        case "Float":
            return value.double == nil ? "Float cannot represent non numeric value: \(value.encoded())" : nil
        case "Boolean":
            if case .bool = value { return nil }
            return "Boolean cannot represent a non boolean value: \(value.encoded())"
        case "JSON":
            return nil
        default:
            if let values = enums[type] {
                return value.string.map(values.contains) == true ? nil : "Value \(value.encoded()) does not exist in \"\(type)\" enum."
            }
            return nil
        }
    }

    /// Whether `text` is a UUID (8-4-4-4-12 hex digits).
    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
