import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import LinearPostmortemPlugin
import Postmortem
import Testing

/// Point 3's configuration: keys, defaults, and errors that name file, line, column and key.
@Suite struct LinearConfigurationTests {
    static let team = FakeLinear.seededTeamID

    func load(_ config: String, _ environment: [String: String] = [:]) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(
            yaml: "plugins:\n  cases: { enabled: true, config: { notifications_channel: C1 } }\n  linear:\n" + config,
            environment: environment, available: [CasesPlugin.self, LinearPostmortemPlugin.self])
    }

    func problems(_ config: String, _ environment: [String: String] = [:]) -> String {
        do {
            _ = try load(config, environment)
            return ""
        } catch let error as ConfigurationErrors {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    static let auto = "    enabled: auto\n    config:\n      api_key: ${LINEAR_API_KEY}\n      team_id: ${LINEAR_TEAM_ID}\n      project_id: ${LINEAR_PROJECT_ID:-}\n"

    @Test func defaults() throws {
        let loaded = try load(Self.auto, ["LINEAR_API_KEY": FakeLinear.seededAPIKey, "LINEAR_TEAM_ID": Self.team])
        let configuration = try #require(loaded.plugins.last?.configuration as? LinearPostmortemPlugin.Configuration)
        #expect(configuration == LinearPostmortemPlugin.Configuration(apiKey: FakeLinear.seededAPIKey, teamID: Self.team))
        #expect(configuration.apiURL == "https://api.linear.app/graphql")
        #expect(configuration.projectID == nil)
        #expect(configuration.onResolve)
        #expect(configuration.dueIn == nil && configuration.labelIDs.isEmpty)
        #expect([configuration.priority(for: "sev1"), configuration.priority(for: "sev4"), configuration.priority(for: nil)] == [Int]([1, 4, 0]))
    }

    @Test func autoIsOffWithoutAKeyOrATeam() throws {
        let withoutKey = try load(Self.auto, ["LINEAR_TEAM_ID": Self.team])
        #expect(withoutKey.pluginStates.contains("linear: off (auto: plugins.linear.config.api_key is empty)"), "\(withoutKey.pluginStates)")
        let withoutTeam = try load(Self.auto, ["LINEAR_API_KEY": FakeLinear.seededAPIKey])
        #expect(withoutTeam.pluginStates.contains("linear: off (auto: plugins.linear.config.team_id is empty)"))
    }

    @Test func aTeamKeyInsteadOfItsUUIDIsNamedWithItsPlace() {
        let text = problems(Self.auto, ["LINEAR_API_KEY": FakeLinear.seededAPIKey, "LINEAR_TEAM_ID": "ENG"])
        #expect(text.contains("plugins.yaml:7:"), "file and line: \(text)")
        #expect(text.contains("plugins.linear.config.team_id: looks like a team's key (the letters in its issue identifiers), but Linear needs the team's UUID"), "\(text)")
        #expect(text.contains("needs the team's UUID"))
        let other = problems(Self.auto, ["LINEAR_API_KEY": FakeLinear.seededAPIKey, "LINEAR_TEAM_ID": "engineering-team"])
        #expect(other.contains("plugins.linear.config.team_id: must be the team's UUID"), "\(other)")
    }

    @Test func everyOtherKeyIsChecked() {
        let base = "    enabled: true\n    config:\n      api_key: \(FakeLinear.seededAPIKey)\n      team_id: \(Self.team)\n"
        #expect(problems(base + "      project_id: Reliability\n").contains("plugins.linear.config.project_id: must be a project's UUID"))
        #expect(problems(base + "      label_ids: [Postmortem]\n").contains("plugins.linear.config.label_ids: must list label UUIDs; 'Postmortem'"))
        #expect(problems(base + "      priority_map: { sev1: 7 }\n").contains("plugins.linear.config.priority_map: maps 'sev1' to 7"))
        #expect(problems(base + "      due_in: soon\n").contains("plugins.linear.config.due_in"))
        #expect(problems(base + "      api_url: http://api.linear.app/graphql\n").contains("plugins.linear.config.api_url: must be an https:// URL"))
        #expect(problems(base + "      template: /nonexistent/postmortem.md\n").contains("plugins.linear.config.template"))
        #expect(problems(base + "      on_resolve: sometimes\n").contains("plugins.linear.config.on_resolve"))
        #expect(problems(base + "      labels: []\n").contains("plugins.linear.config.labels"), "unknown keys are errors")
    }

    @Test func aBearerKeyIsRefusedWithoutPrintingIt() {
        let secret = "lin_api_SecretThatMustNotBePrinted00001"
        let text = problems(Self.auto, ["LINEAR_API_KEY": "Bearer \(secret)", "LINEAR_TEAM_ID": Self.team])
        #expect(text.contains("plugins.linear.config.api_key: must be a Linear personal API key"), "\(text)")
        #expect(!text.contains(secret))
    }
}

/// The template: the shipped copy is the built-in one, and an edited copy is what the issue gets.
@Suite struct LinearTemplateTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func configuration(template: String?, baseDirectory: String? = nil) throws -> LinearPostmortemPlugin.Configuration {
        var yaml = "plugins:\n  cases: { enabled: true, config: { notifications_channel: C1 } }\n  linear:\n    enabled: true\n    config:\n"
        yaml += "      api_key: \(FakeLinear.seededAPIKey)\n      team_id: \(FakeLinear.seededTeamID)\n"
        if let template { yaml += "      template: \(template)\n" }
        let loaded = try ConfigurationLoader.load(
            yaml: yaml, environment: [:], available: [CasesPlugin.self, LinearPostmortemPlugin.self], baseDirectory: baseDirectory)
        return try #require(loaded.plugins.last?.configuration as? LinearPostmortemPlugin.Configuration)
    }

    @Test func theShippedTemplateIsTheBuiltInOne() throws {
        let shipped = try configuration(template: "templates/linear/postmortem.md", baseDirectory: Self.repository.path)
        let builtIn = try configuration(template: nil)
        #expect(builtIn.template == nil, "no template: key means the built-in one")
        #expect(try shipped.resolvedTemplate().template == builtIn.resolvedTemplate().template)
        #expect(try shipped.resolvedTemplate().escaping == .markdown)
    }

    @Test func anEditedTemplateIsRenderedWithMarkdownEscaping() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linear-template-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "# {{title}}\n{{#roles}}\n- {{name}}\n{{/roles}}\n".write(to: directory.appendingPathComponent("mine.md"), atomically: true, encoding: .utf8)
        let edited = try configuration(template: "mine.md", baseDirectory: directory.path)
        let document = PostmortemDocument(
            caseID: "c1", title: "A_b *c*", status: "Resolved", openedAt: Date(timeIntervalSince1970: 0),
            openedBy: .init(id: "U1", name: "Alice"), roles: [.init(role: "commander", roleName: "Incident Commander", person: .init(id: "U1", name: "Alice"))],
            caseChannel: .slack(id: "C1", name: "case-1", team: "T1"))
        #expect(try edited.resolvedTemplate().render(document) == "# A\\_b \\*c\\*\n- Alice\n")
        let broken = try? configuration(template: "missing.md", baseDirectory: directory.path)
        #expect(broken == nil)
    }
}
