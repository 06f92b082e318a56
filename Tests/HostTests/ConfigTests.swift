import CasebookKit
import Foundation
import Testing

@testable import CasebookHost

// MARK: - Test plugins

private struct CasesFixture: Plugin {
    struct Configuration: Decodable, Sendable, Equatable {
        var notificationsChannel: String
        var responseGroup: String?
    }

    static let id = "cases"
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

private struct RolesFixture: Plugin {
    struct Configuration: Decodable, Sendable {
        enum Mode: String, Decodable, Sendable, CaseIterable {
            case strict, relaxed
        }

        struct Digest: Decodable, Sendable {
            var channel: String
            var hour: Int?
        }

        var remindSeverities: [String]
        var remindEvery: ConfigDuration?
        var mode: Mode?
        var digest: Digest?
        var leads: [String: String]?
        var weight: Double?
    }

    static let id = "roles"
    static var requirements: Requirements { Requirements(dependencies: ["cases"]) }
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

/// A configuration whose keys are all optional with defaults, written the way plugin authors
/// are told to (synthesized `Decodable` ignores property defaults).
private struct RemindersFixture: Plugin {
    struct Configuration: Decodable, Sendable {
        var maxPerUser: Int
        var timezone: String
        var quietHours: [Int]

        enum CodingKeys: String, CodingKey {
            case maxPerUser, timezone, quietHours
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxPerUser = try container.decodeIfPresent(Int.self, forKey: .maxPerUser) ?? 3
            timezone = try container.decodeIfPresent(String.self, forKey: .timezone) ?? "UTC"
            quietHours = try container.decodeIfPresent([Int].self, forKey: .quietHours) ?? []
        }
    }

    static let id = "reminders"
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

private struct EchoFixture: StatelessPlugin {
    static let id = "echo"
    func register(_ routes: inout Routes<Self>) {}
}

private let available: [any Plugin.Type] = [CasesFixture.self, RolesFixture.self, RemindersFixture.self, EchoFixture.self]

private func load(_ yaml: String, environment: [String: String] = [:]) throws(ConfigurationErrors) -> LoadedConfiguration {
    try ConfigurationLoader.load(yaml: yaml, file: "plugins.yaml", environment: environment, available: available)
}

/// The problems a configuration produces; fails the test if it loads.
private func problems(_ yaml: String, environment: [String: String] = [:]) -> [ConfigProblem] {
    do {
        let loaded = try load(yaml, environment: environment)
        Issue.record("expected problems, loaded \(loaded.plugins.map(\.id))")
        return []
    } catch {
        return error.problems
    }
}

// MARK: - Tests

@Suite struct ConfigTests {
    @Test func defaultsApplyWhenKeysAreAbsent() throws {
        let loaded = try load("""
            plugins:
              cases:
                enabled: true
                config:
                  notifications_channel: C0ISSUES
            """)
        #expect(loaded.host == HostConfiguration())
        #expect(loaded.host.slashCommand == "/case")
        #expect(loaded.host.appName == "Casebook")
        #expect(loaded.host.botDisplayName == "casebook")
        #expect(loaded.host.allowedWorkspaces == [])
        #expect(loaded.host.externalUsers == .refuse)
        #expect(loaded.host.guests == .allow)
        #expect(loaded.host.rateLimit == HostConfiguration.RateLimit(perUser: 20, window: .seconds(60)))
        #expect(loaded.host.sockets == 2)
        #expect(loaded.plugins.map(\.id) == ["cases"])
        #expect(loaded.disabled == ["echo", "reminders", "roles"])
        #expect(loaded.warnings.map(\.message).contains("plugin 'roles' is not listed, so it is disabled"))
        let configuration = try #require(loaded.plugins.first?.configuration as? CasesFixture.Configuration)
        #expect(configuration == CasesFixture.Configuration(notificationsChannel: "C0ISSUES", responseGroup: nil))
    }

    @Test func emptyFileDisablesEverything() throws {
        let loaded = try load("# nothing yet\n")
        #expect(loaded.host == HostConfiguration())
        #expect(loaded.plugins.isEmpty)
        #expect(loaded.disabled == ["cases", "echo", "reminders", "roles"])
    }

    @Test func hostSectionIsRead() throws {
        let loaded = try load("""
            host:
              slash_command: /incident
              app_name: Incidents
              bot_display_name: incidents
              allowed_workspaces: [T0CASEBOOK, T0OTHER]
              external_users: allow
              guests: refuse
              rate_limit: { per_user: 5, per: 2m }
              sockets: 4
            """)
        #expect(loaded.host == HostConfiguration(
            slashCommand: "/incident", appName: "Incidents", botDisplayName: "incidents",
            allowedWorkspaces: ["T0CASEBOOK", "T0OTHER"], externalUsers: .allow, guests: .refuse,
            rateLimit: .init(perUser: 5, window: .seconds(120)), sockets: 4))
    }

    @Test func interpolationWithAndWithoutDefaults() throws {
        let loaded = try load("""
            host:
              app_name: ${APP_NAME:-Casebook Staging}
              sockets: ${SOCKETS}
            plugins:
              cases:
                enabled: ${CASES_ENABLED:-true}
                config:
                  notifications_channel: "#${ISSUES_CHANNEL_ID}-$${NOT_A_VAR}"
                  response_group: ${INCIDENT_RESPONSE_GROUP_ID:-}
            """, environment: ["ISSUES_CHANNEL_ID": "C0ISSUES", "SOCKETS": "3"])
        #expect(loaded.host.appName == "Casebook Staging")
        #expect(loaded.host.sockets == 3)
        let configuration = try #require(loaded.plugins.first?.configuration as? CasesFixture.Configuration)
        #expect(configuration.notificationsChannel == "#C0ISSUES-${NOT_A_VAR}")
        // `${VAR:-}` with the variable unset is an empty plain scalar: null, so the optional is nil.
        #expect(configuration.responseGroup == nil)

        let withGroup = try load("""
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1, response_group: "${GROUP:-S0DEFAULT}" } }
            """, environment: ["GROUP": "S0ONCALL"])
        #expect((withGroup.plugins.first?.configuration as? CasesFixture.Configuration)?.responseGroup == "S0ONCALL")
    }

    @Test func unsetVariableWithoutDefaultIsAnError() {
        let found = problems("""
            plugins:
              cases:
                enabled: true
                config:
                  notifications_channel: ${ISSUES_CHANNEL_ID}
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:5:30: plugins.cases.config.notifications_channel: environment variable 'ISSUES_CHANNEL_ID' is not set"
        ])
    }

    @Test func disabledPluginConfigIsNotRead() throws {
        let loaded = try load("""
            plugins:
              cases:
                enabled: false
                config:
                  notifications_channel: ${NEVER_SET}
                  bogus: 1
            """)
        #expect(loaded.plugins.isEmpty)
        #expect(loaded.disabled.contains("cases"))
    }

    @Test func syntaxErrorCarriesLineAndColumn() {
        let found = problems("""
            host:
              app_name: "Casebook
            plugins: {}
            """)
        let problem = found.first
        #expect(found.count == 1)
        // The unterminated quote swallows the rest of the file; libyaml stops at its end (3:12).
        #expect(problem?.line == 3)
        #expect(problem?.column == 12)
        #expect(problem?.keyPath == "")
        #expect(problem?.message.hasPrefix("invalid YAML: found unexpected end of stream (while scanning a quoted scalar at 2:13)") == true)
    }

    @Test func badIndentationIsASyntaxError() {
        let found = problems("""
            host:
              app_name: Casebook
               sockets: 2
            """)
        #expect(found.map(\.line) == [3])
        #expect(found.map(\.column) == [11])
        #expect(found.first?.message == "invalid YAML: mapping values are not allowed in this context")
    }

    @Test func duplicateKeysAreReported() {
        let found = problems("""
            plugins:
              cases: { enabled: true }
              cases: { enabled: false }
            """)
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.message.contains("duplicate key 'cases'") == true)
    }

    @Test func unknownPluginListsKnownIDs() {
        let found = problems("""
            plugins:
              cses:
                enabled: true
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:2:3: plugins.cses: unknown plugin 'cses', did you mean 'cases'? (available: cases, echo, reminders, roles)"
        ])
    }

    @Test func unknownKeysInEverySectionSuggestTheClosest() {
        let found = problems("""
            host:
              slash_comand: /case
            plugins:
              cases:
                enabeld: true
                enabled: true
                config:
                  notification_channel: C1
                  notifications_channel: C1
            extra: 1
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:2:3: host.slash_comand: unknown key 'slash_comand', did you mean 'slash_command'?",
            "plugins.yaml:5:5: plugins.cases.enabeld: unknown key 'enabeld', did you mean 'enabled'?",
            "plugins.yaml:8:7: plugins.cases.config.notification_channel: unknown key 'notification_channel', did you mean 'notifications_channel'?",
            "plugins.yaml:10:1: extra: unknown key 'extra', expected 'host' or 'plugins'",
        ])
    }

    @Test func pluginWithoutConfigurationRefusesKeys() {
        let found = problems("""
            plugins:
              echo:
                enabled: true
                config:
                  loud: true
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:5:7: plugins.echo.config.loud: unknown key 'loud'; no keys are expected here"
        ])
    }

    @Test func missingRequiredKeyPointsAtTheParentMapping() {
        let found = problems("""
            plugins:
              cases:
                enabled: true
                config:
                  response_group: S1
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:5:7: plugins.cases.config: missing required key 'notifications_channel'"
        ])
        // No `config` at all: point at the plugin entry.
        let absent = problems("""
            plugins:
              cases:
                enabled: true
            """)
        #expect(absent.map(\.description) == [
            "plugins.yaml:3:5: plugins.cases.config: missing required key 'notifications_channel'"
        ])
    }

    @Test func misspelledRequiredKeyGetsBothProblems() {
        let found = problems("""
            plugins:
              cases:
                enabled: true
                config:
                  notification_channel: C1
            """)
        #expect(found.map(\.message) == [
            "missing required key 'notifications_channel'",
            "unknown key 'notification_channel', did you mean 'notifications_channel'?",
        ])
    }

    @Test func wrongTypeNamesWhatWasExpectedAndFound() {
        let found = problems("""
            plugins:
              cases:
                enabled: true
                config: { notifications_channel: C1 }
              roles:
                enabled: true
                config:
                  remind_severities: SEV1
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:8:26: plugins.roles.config.remind_severities: expected a list, found a string"
        ])
    }

    @Test func wrongTypesInsideListsAndNestedMappings() {
        let list = problems("""
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1 } }
              roles:
                enabled: true
                config:
                  remind_severities: [SEV1, [SEV2]]
            """)
        #expect(list.map(\.description) == [
            "plugins.yaml:6:33: plugins.roles.config.remind_severities[1]: expected a string, found a list"
        ])
        let nested = problems("""
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1 } }
              roles:
                enabled: true
                config:
                  remind_severities: []
                  digest:
                    channel: C2
                    hour: seven
            """)
        #expect(nested.map(\.description) == [
            "plugins.yaml:9:15: plugins.roles.config.digest.hour: expected a whole number, found a string"
        ])
    }

    @Test func badEnumValueListsTheAllowedValues() {
        let found = problems("""
            host:
              external_users: maybe
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1 } }
              roles: { enabled: true, config: { remind_severities: [], mode: lax } }
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:2:19: host.external_users: unknown value 'maybe', expected one of 'allow', 'refuse'",
            "plugins.yaml:5:66: plugins.roles.config.mode: unknown value 'lax', expected one of 'strict', 'relaxed'",
        ])
    }

    @Test func theHTTPServerBindsLoopbackInSocketModeUnlessConfigured() throws {
        let defaults = try load("plugins: {}\n").host
        #expect(defaults.bindAddress(socketMode: true) == "127.0.0.1")
        #expect(defaults.bindAddress(socketMode: false) == "0.0.0.0")
        let open = try load("host:\n  http: { bind: 0.0.0.0 }\nplugins: {}\n").host
        #expect(open.bindAddress(socketMode: true) == "0.0.0.0")
        #expect(problems("host:\n  http: { bind: 'every where' }\nplugins: {}\n").map(\.description)
            == ["plugins.yaml:2:17: host.http.bind: 'every where' is not an address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::)"])
    }

    @Test func valuesFromTheEnvironmentAreNamedByTheirVariableNotPrinted() {
        let found = problems("""
            host:
              external_users: ${EXTERNAL_USERS}
              sockets: ${SOCKETS}
            """, environment: ["EXTERNAL_USERS": "s3cr3t-value", "SOCKETS": "99999999999999999999"])
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("unknown value the value of ${EXTERNAL_USERS}"), "\(text)")
        #expect(!text.contains("s3cr3t-value"))
        #expect(!text.contains("99999999999999999999"))
    }

    @Test func aPluginsOwnMessageNeverQuotesAValueFromTheEnvironment() {
        // The roles fixture's digest channel is free text; the reminders fixture checks its own
        // values and quotes them — the loader shows the variable instead.
        let found = problems("""
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1 } }
              roles:
                enabled: true
                config:
                  remind_severities: []
                  mode: ${MODE}
            """, environment: ["MODE": "hunter2-secret"])
        let text = found.map(\.description).joined(separator: "\n")
        #expect(text.contains("${MODE}"), "\(text)")
        #expect(!text.contains("hunter2-secret"), "\(text)")
    }

    @Test func enabledMustBePresentAndTrueFalseOrAuto() {
        let found = problems("""
            plugins:
              cases:
                config: { notifications_channel: C1 }
              echo:
                enabled: yes please
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:3:5: plugins.cases: missing required key 'enabled'",
            "plugins.yaml:5:14: plugins.echo.enabled: expected true, false or auto",
        ])
    }

    @Test func dependenciesMustBeEnabledAndComeFirst() throws {
        let disabled = problems("""
            plugins:
              roles: { enabled: true, config: { remind_severities: [] } }
              cases: { enabled: false }
            """)
        #expect(disabled.map(\.description) == ["plugins.yaml:2:3: plugins.roles: needs plugin 'cases', which is disabled"])

        let absent = problems("""
            plugins:
              roles: { enabled: true, config: { remind_severities: [] } }
            """)
        #expect(absent.map(\.message) == ["needs plugin 'cases', which is disabled (it is not listed under plugins)"])

        let loaded = try load("""
            plugins:
              roles: { enabled: true, config: { remind_severities: [SEV1] } }
              echo: { enabled: true }
              cases: { enabled: true, config: { notifications_channel: C1 } }
            """)
        // `available` order, with each plugin after what it needs.
        #expect(loaded.plugins.map(\.id) == ["cases", "roles", "echo"])
    }

    @Test func everyProblemIsReportedAtOnceInFileOrder() {
        let found = problems("""
            host:
              sockets: many
              guests: nobody
            plugins:
              cases:
                enabled: true
                config:
                  notifications_channel: [C1]
              roles:
                enabled: true
                config: { remind_severities: [], remind_every: 10 }
              pagerduty: { enabled: true }
            """)
        #expect(found.map(\.description) == [
            "plugins.yaml:2:12: host.sockets: expected a whole number, found a string",
            "plugins.yaml:3:11: host.guests: unknown value 'nobody', expected one of 'allow', 'refuse'",
            "plugins.yaml:8:30: plugins.cases.config.notifications_channel: expected a string, found a list",
            "plugins.yaml:11:52: plugins.roles.config.remind_every: expected a duration such as 90s, 30m, 2h or 7d, found '10'",
            "plugins.yaml:12:3: plugins.pagerduty: unknown plugin 'pagerduty' (available: cases, echo, reminders, roles)",
        ])
        // Range checks run once the section decodes; unknown host keys are still found beside them.
        let mixed = problems("host:\n  sockets: many\n  rate_limit: { per_user: 5, pr: 1m }\n")
        #expect(mixed.map(\.description) == [
            "plugins.yaml:2:12: host.sockets: expected a whole number, found a string",
            "plugins.yaml:3:30: host.rate_limit.pr: unknown key 'pr', did you mean 'per'?",
        ])
        let sockets = problems("host:\n  sockets: 11\n  rate_limit: { per_user: 0 }\n")
        #expect(sockets.map(\.description) == [
            "plugins.yaml:2:12: host.sockets: must be between 1 and 10 (Slack allows at most 10 Socket Mode connections)",
            "plugins.yaml:3:27: host.rate_limit.per_user: must be at least 1",
        ])
    }

    @Test func optionalKeysWithDefaultsAndRicherTypes() throws {
        let loaded = try load("""
            plugins:
              cases: { enabled: true, config: { notifications_channel: C1 } }
              reminders: { enabled: true }
              roles:
                enabled: true
                config:
                  remind_severities: [SEV1, SEV2]
                  remind_every: 1h30m
                  mode: relaxed
                  digest: { channel: C9 }
                  leads: { SEV1: S0LEADS, sev2: S0OTHER }
                  weight: 2
            """)
        let reminders = try #require(loaded.plugins.first { $0.id == "reminders" }?.configuration as? RemindersFixture.Configuration)
        #expect(reminders.maxPerUser == 3)
        #expect(reminders.timezone == "UTC")
        #expect(reminders.quietHours == [])
        let roles = try #require(loaded.plugins.first { $0.id == "roles" }?.configuration as? RolesFixture.Configuration)
        #expect(roles.remindSeverities == ["SEV1", "SEV2"])
        #expect(roles.remindEvery?.duration == .seconds(5400))
        #expect(roles.mode == .relaxed)
        #expect(roles.digest?.channel == "C9")
        #expect(roles.digest?.hour == nil)
        #expect(roles.leads == ["SEV1": "S0LEADS", "sev2": "S0OTHER"])
        #expect(roles.weight == 2)
    }

    @Test(arguments: [("90s", 90, "1m30s"), ("30m", 1800, "30m"), ("2h", 7200, "2h"), ("7d", 604_800, "7d"), ("1h30m", 5400, "1h30m")])
    func durationsAcceptUnits(text: String, seconds: Int64, canonical: String) {
        #expect(ConfigDuration(parsing: text)?.duration == .seconds(seconds))
        #expect(ConfigDuration(parsing: text)?.description == canonical)
    }

    @Test(arguments: ["10", "5x", "", "h", "-5s", "1.5h"])
    func durationsRefuseOtherText(text: String) {
        #expect(ConfigDuration(parsing: text) == nil)
    }

    @Test func hostDurationsUseUnits() throws {
        let loaded = try load("host:\n  rate_limit: { per: 1d }\n")
        #expect(loaded.host.rateLimit == HostConfiguration.RateLimit(perUser: 20, window: .seconds(86_400)))
    }

    @Test func missingFileNamesThePath() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-\(UUID().uuidString).yaml").path
        do {
            _ = try ConfigurationLoader.load(path: path, environment: [:], available: available)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.description == "\(path): configuration file not found (pass --config or create \(path))")
        }
    }

    @Test func loadsAFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-\(UUID().uuidString).yaml")
        try "plugins:\n  echo: { enabled: true, config: { x: 1 } }\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ConfigurationLoader.load(path: url.path, environment: [:], available: available)
            Issue.record("expected an error")
        } catch {
            #expect(error.problems.map(\.file) == [url.path])
            #expect(error.problems.map(\.line) == [2])
        }
    }

    @Test func singlePluginConfigurationCanBeDecodedAlone() throws {
        let configuration = try ConfigurationLoader.decodeConfiguration(
            of: RemindersFixture.self, yaml: "max_per_user: ${MAX:-7}\nquiet_hours: [22, 23]\n")
        #expect(configuration.maxPerUser == 7)
        #expect(configuration.quietHours == [22, 23])
        #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(of: RemindersFixture.self, yaml: "max_per_usr: 1\n")
        }
    }

    @Test func keyNamesAndSuggestions() {
        #expect(KeyNaming.snakeCase("notificationsChannel") == "notifications_channel")
        #expect(KeyNaming.snakeCase("slackURL") == "slack_url")
        #expect(KeyNaming.snakeCase("urlPathID") == "url_path_id")
        #expect(KeyNaming.snakeCase("escalationPolicyIDs") == "escalation_policy_ids")
        #expect(KeyNaming.snakeCase("webhookURLs") == "webhook_urls")
        #expect(KeyNaming.snakeCase("URLsByTeam") == "urls_by_team")
        #expect(KeyNaming.snakeCase("already_snake") == "already_snake")
        #expect(KeySuggestion.closest(to: "enabeld", among: ["enabled", "config"]) == "enabled")
        #expect(KeySuggestion.closest(to: "colour", among: ["enabled", "config"]) == nil)
    }
}
