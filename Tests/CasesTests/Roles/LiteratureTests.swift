import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// Severities and roles as literature: built-in defaults identical to `templates/`, edited copies
/// taking effect, and bad files failing configuration loading with their path, line and key.
@Suite struct LiteratureTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh directory for one test's files.
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-roles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let threeLevels = """
        levels:
          - id: critical
            name: Critical
            description: Everything is on fire.
          - id: major
            name: Major
            description: Something important is broken.
          - id: minor
            name: Minor
            description: A small thing is broken.
        """

    @Test func builtInLiteratureIsIdenticalToTheTemplates() throws {
        let severities = try String(contentsOf: Self.repository.appendingPathComponent("templates/severities.yaml"), encoding: .utf8)
        let roles = try String(contentsOf: Self.repository.appendingPathComponent("templates/roles.yaml"), encoding: .utf8)
        #expect(severities == SeverityScale.builtInYAML + "\n")
        #expect(roles == RoleBook.builtInYAML + "\n")
    }

    @Test func defaultsComeFromTheBuiltInLiterature() throws {
        let configuration = try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0DIGEST")
        #expect(configuration.severities.ids == ["sev1", "sev2", "sev3", "sev4"])
        #expect(configuration.roles.ids == ["commander", "comms", "tech_lead"])
        #expect(configuration.defaultSeverity == "sev4")
        #expect(configuration.remindSeverities == ["sev1", "sev2"])
        #expect(configuration.firstReminder.description == "30m")
        #expect(configuration.reminderInterval.description == "25m")
        #expect(configuration.staleAfter.description == "7d")
        #expect(configuration.rcaChannel)
        #expect(configuration.roles.roles.filter(\.inviteToRCA).map(\.id) == ["commander", "tech_lead"])
    }

    @Test func anEditedSeveritiesFileChangesTheSelectAndTheUsageLine() async throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("severities.yaml")
        try Self.threeLevels.write(to: file, atomically: true, encoding: .utf8)
        let config = RolesHarness.config(roles: "severities_file: \(file.path)\nremind_severities: [critical]")
        try await RolesHarness.run(config: config) { host in
            let channel = try await RolesHarness.incident(host)
            let panel = try #require(RolesHarness.panel(host, channel))
            let options = panel.blocks.description
            #expect(options.contains("\"critical\"") && options.contains("\"major\"") && options.contains("\"minor\""))
            #expect(!options.contains("sev1"))
            #expect(RolesHarness.text(panel).contains("*Minor*"), "the least severe level is the default")

            let usage = try await host.slash("severity sev1", as: "alice", in: channel)
            #expect(usage?.text.contains("<critical|major|minor>") == true)
            let help = try await host.slash("help", as: "alice", in: channel)
            #expect(help?.text.contains("severity <critical|major|minor>") == true)

            try await RolesHarness.clickPanel(host, channel, ActionID.severity.wire, as: "alice", option: "critical")
            #expect(RolesHarness.allText(host, in: channel).contains("changed the severity from Minor to *Critical*"))
            try await ReminderTests.advance(host, minutes: 30)
            #expect(RolesHarness.reminders(host, in: channel).count == 1)
        }
    }

    @Test func anEditedRolesFileChangesTheRolesOffered() async throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("roles.yaml")
        try """
            roles:
              - id: commander
                name: Incident lead
                description: Runs the show.
              - id: scribe
                name: Scribe
                description: Writes everything down.
                duties: [Keep the timeline]
            """.write(to: file, atomically: true, encoding: .utf8)
        try await RolesHarness.run(config: RolesHarness.config(roles: "roles_file: \(file.path)")) { host in
            let channel = try await RolesHarness.incident(host)
            let panel = RolesHarness.text(try #require(RolesHarness.panel(host, channel)))
            #expect(panel.contains("Incident lead") && panel.contains("Scribe") && !panel.contains("Technical lead"))
            let wrong = try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            #expect(wrong?.text.contains("<commander|scribe> @user") == true)
            try await host.slash("role scribe <@U0BOB|bob>", as: "alice", in: channel)
            let dm = try #require(host.simulator.directMessageChannel(with: "bob"))
            #expect(RolesHarness.allText(host, in: dm).contains("• Keep the timeline"))
        }
    }

    /// The file is relative to plugins.yaml; a problem inside it names its path, line and key.
    @Test func malformedLiteratureFailsConfigLoadingWithPathAndLine() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            levels:
              - id: sev1
                name: SEV1
                description: Critical.
              - id: sev2
                name: SEV2
                descripton: Major.
            """.write(to: folder.appendingPathComponent("severities.yaml"), atomically: true, encoding: .utf8)
        let configFile = folder.appendingPathComponent("plugins.yaml")
        try """
            plugins:
              cases:
                enabled: true
                config: { notifications_channel: C0INCIDENTS }
              roles:
                enabled: true
                config:
                  digest_channel: C0ALERTS
                  severities_file: severities.yaml
            """.write(to: configFile, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.load(path: configFile.path, environment: [:], available: [CasesPlugin.self, RolesPlugin.self])
        }
        let problems = try #require(error).problems
        let literature = problems.filter { $0.file.hasSuffix("severities.yaml") }
        #expect(literature.count == 2, "\(problems)")
        let missing = try #require(literature.first { $0.message.contains("description") && $0.message.contains("missing") })
        #expect(missing.keyPath == "levels[1]")
        #expect(missing.line == 5, "the item that lacks the key")
        let typo = try #require(literature.first { $0.message.contains("descripton") })
        #expect(typo.line == 7 && typo.column == 5 && typo.message.contains("did you mean 'description'"))
        #expect(missing.file == folder.appendingPathComponent("severities.yaml").standardizedFileURL.path)
    }

    @Test func yamlSyntaxErrorsAndDuplicateIdsAreLocated() throws {
        let folder = try Self.directory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.yaml")
        try "roles:\n  - id: commander\n    name: [unclosed\n".write(to: broken, atomically: true, encoding: .utf8)
        let twice = folder.appendingPathComponent("twice.yaml")
        try "levels:\n  - {id: a, name: A, description: a}\n  - {id: a, name: B, description: b}\n".write(to: twice, atomically: true, encoding: .utf8)
        let yaml = "digest_channel: C0\nroles_file: \(broken.path)\nseverities_file: \(twice.path)\n"
        let error = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: yaml)
        }
        let problems = try #require(error).problems
        let duplicate = try #require(problems.first { $0.file == twice.path })
        #expect(duplicate.line == 3 && duplicate.keyPath == "levels[1].id" && duplicate.message.contains("used twice"))
        // The severities fail first, so the roles file is not reached; alone, its syntax error is located.
        let rolesOnly = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0\nroles_file: \(broken.path)\n")
        }
        let syntax = try #require(rolesOnly?.problems.first)
        #expect(syntax.file == broken.path && syntax.line >= 3 && syntax.message.contains("invalid YAML"))
    }

    @Test func aMissingFileOrUnknownLevelIsReportedAtItsKey() throws {
        let error = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(
                of: RolesPlugin.self, yaml: "digest_channel: C0\nseverities_file: /nonexistent/sev.yaml\n", file: "plugins.yaml")
        }
        let missing = try #require(error?.problems.first)
        #expect(missing.file == "plugins.yaml" && missing.line == 2 && missing.keyPath == "severities_file")
        #expect(missing.message.contains("/nonexistent/sev.yaml") && missing.message.contains("does not exist"))

        let unknown = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: C0\nremind_severities: [sev1, sev7]\n")
        }
        let problem = try #require(unknown?.problems.first)
        #expect(problem.keyPath == "remind_severities" && problem.message.contains("sev7") && problem.message.contains("sev1, sev2, sev3, sev4"))

        let noCommander = #expect(throws: ConfigurationErrors.self) {
            try ConfigurationLoader.decodeConfiguration(of: RolesPlugin.self, yaml: "digest_channel: ''\n")
        }
        #expect(noCommander?.problems.first?.keyPath == "digest_channel")
    }
}
