import CasebookKit
import Testing

@testable import CasebookHost

/// A configuration declared the way README tells plugin authors: no `CodingKeys`, no `init(from:)`.
private struct WidgetPlugin: Plugin {
    struct Configuration: PluginConfiguration, Equatable {
        struct Limits: PluginConfiguration, Equatable {
            var perUser = 3
            var window = ConfigDuration(.seconds(60))
            static let defaults = Limits()
        }

        @Required var announceChannel: String
        var responseGroup: String?
        @CommaList var allowedWorkspaces: [String] = []
        var slugLength = 11
        var homeTab = false
        var limits = Limits.defaults
        var greeting: String? = "hello"

        static let defaults = Configuration(announceChannel: "")

        mutating func validate() throws {
            guard !announceChannel.isEmpty else { throw ConfigurationError("announceChannel", "is empty; set it to a channel id") }
            guard (1...60).contains(slugLength) else {
                throw ConfigurationError("slugLength", "must be between 1 and 60, found \(slugLength)")
            }
            // Tidying is allowed too: a name becomes what the plugin uses.
            responseGroup = responseGroup?.uppercased()
        }
    }

    static let id = "widgets"
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

private func decode(_ yaml: String, environment: [String: String] = [:]) throws(ConfigurationErrors) -> WidgetPlugin.Configuration {
    try ConfigurationLoader.decodeConfiguration(of: WidgetPlugin.self, yaml: yaml, file: "plugins.yaml", environment: environment)
}

/// The problems `yaml` produces, as `check-config` prints them; fails the test if it decodes.
private func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
    do {
        let value = try decode(yaml, environment: environment)
        Issue.record("expected problems, decoded \(value)")
        return []
    } catch {
        return error.problems.map(\.description)
    }
}

@Suite struct PluginConfigurationTests {
    @Test func defaultsFillTheKeysLeftOut() throws {
        let configuration = try decode("announce_channel: C0ANNOUNCE\n")
        #expect(configuration == WidgetPlugin.Configuration(announceChannel: "C0ANNOUNCE"))
        #expect(configuration.slugLength == 11)
        #expect(configuration.allowedWorkspaces == [])
        #expect(configuration.responseGroup == nil)
        #expect(configuration.greeting == "hello")
        #expect(configuration.limits == .init(perUser: 3, window: ConfigDuration(.seconds(60))))
    }

    @Test func givenValuesWinAndSnakeCaseKeysNeedNoCodingKeys() throws {
        let configuration = try decode("""
            announce_channel: C0ANNOUNCE
            response_group: s0oncall
            allowed_workspaces: [T1, T2]
            slug_length: 20
            home_tab: true
            greeting: ~
            limits: { per_user: 5 }
            """)
        #expect(configuration.slugLength == 20)
        #expect(configuration.homeTab)
        #expect(configuration.allowedWorkspaces == ["T1", "T2"])
        #expect(configuration.responseGroup == "S0ONCALL")  // validate() tidied it
        #expect(configuration.greeting == "hello")  // null counts as left out
        #expect(configuration.limits == .init(perUser: 5, window: ConfigDuration(.seconds(60))))  // nested defaults
    }

    @Test func emptyValuesFromTheEnvironmentCountAsLeftOut() throws {
        let configuration = try decode("""
            announce_channel: ${CHANNEL}
            response_group: ${GROUP:-}
            allowed_workspaces: ${WORKSPACES:-}
            slug_length: ${SLUG:-}
            """, environment: ["CHANNEL": "  C0ANNOUNCE ", "WORKSPACES": "T1, T2,,"])
        #expect(configuration.announceChannel == "C0ANNOUNCE")  // trimmed
        #expect(configuration.responseGroup == nil)
        #expect(configuration.allowedWorkspaces == ["T1", "T2"])
        #expect(configuration.slugLength == 11)
    }

    @Test func validationProblemsArePlacedAtTheirKey() {
        #expect(problems("""
            announce_channel: C0ANNOUNCE
            slug_length: 0
            """) == ["plugins.yaml:2:14: slug_length: must be between 1 and 60, found 0"])
        #expect(problems("announce_channel: ${CHANNEL}\n", environment: ["CHANNEL": " "])
            == ["plugins.yaml:1:19: announce_channel: is empty; set it to a channel id"])
    }

    @Test func aRequiredKeyLeftOutIsMissing() {
        #expect(problems("slug_length: 5\n") == ["plugins.yaml:1:1: missing required key 'announce_channel'"])
    }

    @Test func unknownKeysAreStillReported() {
        #expect(problems("""
            announce_channel: C0ANNOUNCE
            slug_lenght: 5
            limits: { per_usr: 5 }
            """) == [
                "plugins.yaml:2:1: slug_lenght: unknown key 'slug_lenght', did you mean 'slug_length'?",
                "plugins.yaml:3:11: limits.per_usr: unknown key 'per_usr', did you mean 'per_user'?",
            ])
    }

    @Test func wrongTypesAreStillReportedWhereTheyStand() {
        #expect(problems("""
            announce_channel: C0ANNOUNCE
            slug_length: many
            """) == ["plugins.yaml:2:14: slug_length: expected a whole number, found a string"])
    }
}

/// A plugin without configuration or state writes no initializer.
private struct PingPlugin: StatelessPlugin {
    static let id = "ping"
    func register(_ routes: inout Routes<Self>) {}
}

@Suite struct StatelessPluginTests {
    @Test func aPluginWithoutConfigurationNeedsNoInitializer() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  ping: { enabled: true }\n", environment: [:], available: [PingPlugin.self])
        let registry = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
        #expect(registry.plugin("ping") != nil)
        // It still takes no keys.
        #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.load(
                yaml: "plugins:\n  ping: { enabled: true, config: { volume: 3 } }\n", environment: [:], available: [PingPlugin.self])
        }
    }
}

/// Keys that depend on one another, read together by a type of their own (`@Inline`).
private struct RotaPlugin: Plugin {
    struct Hours: Decodable, Sendable, Equatable {
        var start: Int
        var end: Int

        init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: ConfigKey.self)
            start = try container.decodeIfPresent(Int.self, forKey: "start_hour") ?? 9
            end = try container.decodeIfPresent(Int.self, forKey: "end_hour") ?? 17
            guard start < end else {
                throw DecodingError.dataCorruptedError(forKey: "end_hour", in: container, debugDescription: "must be after start_hour (\(start))")
            }
        }
    }

    struct Configuration: PluginConfiguration, Equatable {
        var channel = "C0ROTA"
        @Inline var hours = Hours(start: 0, end: 0)
        static let defaults = Configuration()
    }

    static let id = "rota"
    init(configuration: Configuration, context: PluginContext) async throws {}
    func register(_ routes: inout Routes<Self>) {}
}

@Suite struct InlineKeysTests {
    private func decode(_ yaml: String) throws(ConfigurationErrors) -> RotaPlugin.Configuration {
        try ConfigurationLoader.decodeConfiguration(of: RotaPlugin.self, yaml: yaml, file: "plugins.yaml")
    }

    @Test func inlineKeysAreReadFromTheSameMappingAndNeverTakeTheDeclaredPlaceholder() throws {
        #expect(try decode("start_hour: 8\n").hours == .init(start: 8, end: 17))
        #expect(try decode("channel: C0OTHER\n").hours == .init(start: 9, end: 17), "read even when none of its keys is given")
    }

    @Test func theirProblemsArePlacedAtTheirKeysAndTyposAreSuggested() {
        do {
            _ = try decode("start_hour: 8\nend_hour: 5\n")
            Issue.record("decoded")
        } catch {
            #expect(error.problems.map(\.description) == ["plugins.yaml:2:11: end_hour: must be after start_hour (8)"])
        }
        do {
            _ = try decode("end_our: 20\nhours: { start_hour: 1 }\n")
            Issue.record("decoded")
        } catch {
            #expect(error.problems.map(\.description) == [
                "plugins.yaml:1:1: end_our: unknown key 'end_our', did you mean 'end_hour'?",
                "plugins.yaml:2:1: hours: unknown key 'hours'; known keys: channel, end_hour, start_hour",
            ])
        }
    }
}
