import CasebookKit
import Foundation
import Testing
import Yams

@testable import CasebookHost

// MARK: - A small JSON Schema (draft-07) validator

/// Covers the keywords `manifest.schema.1.0.0.json` uses: type, properties, required,
/// additionalProperties, patternProperties, min/maxProperties, min/maxLength, pattern, enum, const,
/// items, min/maxItems, uniqueItems, minimum/maximum, format (uri, loosely), $ref to local
/// definitions, anyOf/oneOf/allOf. Annotations (title, description, default) are ignored.
struct SchemaValidator {
    let root: JSONValue

    func errors(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, against: root, at: "", into: &errors)
        return errors
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.string else { return schema }
        guard reference.hasPrefix("#/") else { return schema }
        var node = root
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { return .object([:]) }
            node = next
        }
        return resolve(node)
    }

    private func matches(type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    private func check(_ value: JSONValue, against rawSchema: JSONValue, at path: String, into errors: inout [String]) {
        if rawSchema == .bool(true) { return }
        if rawSchema == .bool(false) {
            errors.append("\(path): not allowed")
            return
        }
        let schema = resolve(rawSchema)
        let place = path.isEmpty ? "/" : path

        if let type = schema["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            if !types.isEmpty, !types.contains(where: { matches(type: $0, value) }) {
                errors.append("\(place): expected type \(types.joined(separator: "|")), found \(value.encoded())")
                return
            }
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            errors.append("\(place): \(value.encoded()) is not one of \(JSONValue.array(allowed).encoded())")
        }
        if let constant = schema["const"], constant != value {
            errors.append("\(place): expected \(constant.encoded())")
        }
        for combinator in ["allOf", "anyOf", "oneOf"] {
            guard let options = schema[combinator]?.array else { continue }
            let results = options.map { option -> [String] in
                var optionErrors: [String] = []
                check(value, against: option, at: path, into: &optionErrors)
                return optionErrors
            }
            let passing = results.filter(\.isEmpty).count
            switch combinator {
            case "allOf" where passing != options.count: errors += results.flatMap { $0 }
            case "anyOf" where passing == 0: errors.append("\(place): matches none of anyOf")
            case "oneOf" where passing != 1: errors.append("\(place): matches \(passing) of oneOf, expected exactly 1")
            default: break
            }
        }

        switch value {
        case .string(let string):
            let length = string.count
            if let minimum = schema["minLength"]?.int, length < minimum {
                errors.append("\(place): '\(string)' is shorter than \(minimum)")
            }
            if let maximum = schema["maxLength"]?.int, length > maximum {
                errors.append("\(place): '\(string)' is longer than \(maximum)")
            }
            if let pattern = schema["pattern"]?.string, !matches(pattern: pattern, string) {
                errors.append("\(place): '\(string)' does not match \(pattern)")
            }
            if schema["format"]?.string == "uri", URL(string: string)?.scheme == nil {
                errors.append("\(place): '\(string)' is not a URI")
            }
        case .number(let number):
            if let minimum = schema["minimum"]?.double, number < minimum { errors.append("\(place): below \(minimum)") }
            if let maximum = schema["maximum"]?.double, number > maximum { errors.append("\(place): above \(maximum)") }
        case .array(let items):
            if let minimum = schema["minItems"]?.int, items.count < minimum {
                errors.append("\(place): \(items.count) items, at least \(minimum) required")
            }
            if let maximum = schema["maxItems"]?.int, items.count > maximum {
                errors.append("\(place): \(items.count) items, at most \(maximum) allowed")
            }
            if schema["uniqueItems"] == .bool(true), Set(items).count != items.count {
                errors.append("\(place): items are not unique")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    let itemSchemaForIndex = itemSchema.array.map { $0.indices.contains(index) ? $0[index] : .bool(true) } ?? itemSchema
                    check(item, against: itemSchemaForIndex, at: "\(path)/\(index)", into: &errors)
                }
            }
        case .object(let object):
            if let minimum = schema["minProperties"]?.int, object.count < minimum {
                errors.append("\(place): fewer than \(minimum) properties")
            }
            if let maximum = schema["maxProperties"]?.int, object.count > maximum {
                errors.append("\(place): more than \(maximum) properties")
            }
            for required in schema["required"]?.array?.compactMap(\.string) ?? [] where object[required] == nil {
                errors.append("\(place): missing required property '\(required)'")
            }
            let properties = schema["properties"]?.object ?? [:]
            let patterns = schema["patternProperties"]?.object ?? [:]
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                var covered = false
                if let propertySchema = properties[key] {
                    covered = true
                    check(child, against: propertySchema, at: "\(path)/\(key)", into: &errors)
                }
                for (pattern, patternSchema) in patterns where matches(pattern: pattern, key) {
                    covered = true
                    check(child, against: patternSchema, at: "\(path)/\(key)", into: &errors)
                }
                if !covered, let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        errors.append("\(place): unknown property '\(key)'")
                    } else {
                        check(child, against: additional, at: "\(path)/\(key)", into: &errors)
                    }
                }
            }
        default:
            break
        }
    }

    private func matches(pattern: String, _ string: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) != nil
    }
}

func loadSchema() throws -> SchemaValidator {
    let url = try #require(Bundle.module.url(forResource: "manifest.schema.1.0.0", withExtension: "json", subdirectory: "Fixtures"))
    return SchemaValidator(root: try JSONValue.decode(Data(contentsOf: url)))
}

/// What Yams reads back, as JSON.
func json(fromYAML yaml: String) throws -> JSONValue {
    func convert(_ value: Any) throws -> JSONValue {
        switch value {
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .number(Double(int))
        case let double as Double: return .number(double)
        case let string as String: return .string(string)
        case let array as [Any]: return .array(try array.map(convert))
        case let object as [String: Any]: return .object(try object.mapValues(convert))
        case is NSNull: return .null
        default: throw ManifestError(problems: ["unexpected YAML value \(value) of type \(type(of: value))"])
        }
    }
    return try convert(try #require(try Yams.load(yaml: yaml)))
}

private func input(scopes: Set<String> = ["chat:write", "channels:manage", "users:read"],
                   events: Set<String> = ["member_joined_channel", "app_mention"]) -> ManifestInput {
    ManifestInput(
        appName: "Casebook", appDescription: "Incident response in Slack", botDisplayName: "casebook",
        slashCommand: "/case", commandDescription: "Open and run cases",
        subcommands: [
            .init(name: "open", usage: "<description>", help: "Open a case"),
            .init(name: "incident", help: "Declare an incident"),
            .init(name: "resolve", usage: "[note]", help: "Resolve the case"),
        ],
        shortcuts: [
            .init(callbackID: "cases.from_message", kind: .message, name: "Open case from message",
                  description: "Open a case with this message as evidence"),
            .init(callbackID: "cases.declare", kind: .global, name: "Open a case", description: "Open a new case"),
        ],
        scopes: scopes, events: events)
}

/// Every string value under `key` anywhere in the document.
private func values(of key: String, in value: JSONValue) -> [JSONValue] {
    switch value {
    case .object(let object):
        return (object[key].map { [$0] } ?? []) + object.sorted(by: { $0.key < $1.key }).flatMap { values(of: key, in: $0.value) }
    case .array(let array):
        return array.flatMap { values(of: key, in: $0) }
    default:
        return []
    }
}

// MARK: - Tests

@Suite struct ManifestTests {
    @Test func socketModeManifestMatchesTheSchema() throws {
        let manifest = try ManifestRenderer.render(input(), mode: .socketMode)
        #expect(try loadSchema().errors(manifest) == [])

        #expect(manifest["display_information"]?["name"] == "Casebook")
        #expect(manifest["features"]?["bot_user"]?["display_name"] == "casebook")
        let command = try #require(manifest["features"]?["slash_commands"]?[0])
        #expect(command["command"] == "/case")
        #expect(command["usage_hint"] == "open <description> | incident | resolve [note] | help")
        #expect(command["url"] == nil)
        #expect(manifest["features"]?["shortcuts"]?.array?.compactMap { $0["callback_id"]?.string }
            == ["cases.declare", "cases.from_message"])
        #expect(manifest["settings"]?["socket_mode_enabled"] == true)
        #expect(manifest["settings"]?["interactivity"] == ["is_enabled": true])
        #expect(manifest["settings"]?["event_subscriptions"] == ["bot_events": ["app_mention", "member_joined_channel"]])
        #expect(values(of: "request_url", in: manifest).isEmpty)
    }

    @Test func theHomeTabIsDeclaredOnlyWhenAPluginPublishesIt() throws {
        #expect(try ManifestRenderer.render(input(), mode: .socketMode)["features"]?["app_home"] == nil)
        var withHome = input(events: ["app_home_opened"])
        withHome.homeTab = true
        let manifest = try ManifestRenderer.render(withHome, mode: .socketMode)
        #expect(try loadSchema().errors(manifest) == [])
        #expect(manifest["features"]?["app_home"] == ["home_tab_enabled": true])
        #expect(manifest["settings"]?["event_subscriptions"]?["bot_events"] == ["app_home_opened"])
        #expect(try json(fromYAML: ManifestRenderer.yaml(withHome, mode: .socketMode)) == manifest)
    }

    @Test func httpModeManifestPointsEverythingAtSlackEvents() throws {
        let manifest = try ManifestRenderer.render(input(), mode: .http(baseURL: "https://casebook.example.com/"))
        #expect(try loadSchema().errors(manifest) == [])

        let url: JSONValue = "https://casebook.example.com/slack/events"
        #expect(manifest["features"]?["slash_commands"]?[0]?["url"] == url)
        #expect(manifest["settings"]?["interactivity"] == ["is_enabled": true, "request_url": url])
        #expect(manifest["settings"]?["event_subscriptions"]?["request_url"] == url)
        #expect(manifest["settings"]?["socket_mode_enabled"] == false)

        #expect(throws: ManifestError.self) {
            try ManifestRenderer.render(input(), mode: .http(baseURL: "casebook.example.com"))
        }
    }

    @Test func validatorRejectsInvalidManifests() throws {
        let validator = try loadSchema()
        let manifest = try ManifestRenderer.render(input(), mode: .socketMode)
        guard case .object(var top) = manifest, case .object(var features) = top["features"],
              case .array(var shortcuts) = features["shortcuts"], case .object(var shortcut) = shortcuts[0]
        else {
            Issue.record("unexpected manifest shape")
            return
        }
        shortcut["name"] = .string(String(repeating: "x", count: 25))
        shortcuts[0] = .object(shortcut)
        features["shortcuts"] = .array(shortcuts)
        var longName = top
        longName["features"] = .object(features)
        #expect(validator.errors(.object(longName)) == [
            "/features/shortcuts/0/name: '\(String(repeating: "x", count: 25))' is longer than 24"
        ])

        var unknownKey = top
        unknownKey["colour"] = "red"
        #expect(validator.errors(.object(unknownKey)) == ["/: unknown property 'colour'"])

        top["display_information"] = nil
        top["settings"] = ["socket_mode_enabled": "yes", "interactivity": [:]]
        #expect(validator.errors(.object(top)) == [
            "/: missing required property 'display_information'",
            "/settings/interactivity: missing required property 'is_enabled'",
            "/settings/socket_mode_enabled: expected type boolean, found \"yes\"",
        ])
    }

    @Test func rendererRefusesWhatSlackWouldReject() {
        var tooLong = input()
        tooLong.shortcuts[0].name = "Open a case from this msg"  // 25 characters
        #expect(throws: ManifestError(problems: [
            "shortcut name 'Open a case from this msg' has 25 characters; Slack allows 1–24"
        ])) {
            try ManifestRenderer.render(tooLong, mode: .socketMode)
        }
        var badCommand = input()
        badCommand.slashCommand = "case"
        #expect(throws: ManifestError.self) { try ManifestRenderer.render(badCommand, mode: .socketMode) }
    }

    @Test func scopesAreLeastPrivilege() throws {
        let bare = try ManifestRenderer.render(input(scopes: [], events: []), mode: .socketMode)
        #expect(bare["oauth_config"]?["scopes"]?["bot"] == ["commands"])
        #expect(bare["settings"]?["event_subscriptions"] == nil)
        #expect(try loadSchema().errors(bare) == [])

        let declared = try ManifestRenderer.render(input(scopes: ["users:read", "pins:write", "commands"]), mode: .socketMode)
        #expect(declared["oauth_config"]?["scopes"]?["bot"] == ["commands", "pins:write", "users:read"])
        #expect(declared["oauth_config"]?["scopes"]?["bot"]?.array?.contains("chat:write") == false)
    }

    @Test(arguments: [ManifestMode.socketMode, .http(baseURL: "https://casebook.example.com")])
    func yamlReadsBackAsTheSameJSON(mode: ManifestMode) throws {
        let manifest = try ManifestRenderer.render(input(), mode: mode)
        let yaml = try ManifestRenderer.yaml(input(), mode: mode)
        #expect(try json(fromYAML: yaml) == manifest)
        #expect(yaml.hasPrefix("_metadata:\n  major_version: 1\n  minor_version: 1\ndisplay_information:\n  name: Casebook\n"))
    }

    @Test func yamlQuotesAnythingAReaderCouldMisread() throws {
        let tricky: JSONValue = [
            "strings": ["yes", "No", "on", "null", "~", "1.0", "42", "0x1F", "a: b", "a #b", "-x", "[x]", "{x}", "",
                        " padded ", "quote\"back\\slash", "line\nbreak", "tab\there", "*alias", "&anchor", "!tag",
                        "%directive", "@at", "`tick`", "trailing:", "/case", "chat:write", "open <d> | x", "…"],
            "numbers": [0, -1, .number(2.5)],
            "empty": ["list": [], "map": [:]],
            "null": nil,
            "nested": [["a": 1, "b": [true, false]]],
        ]
        #expect(try json(fromYAML: YAMLText.render(tricky)) == tricky)
        #expect(YAMLText.scalar("/case") == "/case")
        #expect(YAMLText.scalar("chat:write") == "chat:write")
        #expect(YAMLText.scalar("yes") == "\"yes\"")
    }

    @Test func usageHintStaysWithinSlacksLimit() {
        let many = (1...200).map { ManifestInput.Subcommand(name: "command\($0)", usage: "<argument>") }
        let hint = ManifestRenderer.usageHint(for: many)
        #expect(hint.count <= 1000)
        #expect(hint.hasPrefix("command1 <argument> | command2 <argument>"))
        #expect(hint.hasSuffix(" | …"))
        #expect(ManifestRenderer.usageHint(for: []) == "")
    }
}
