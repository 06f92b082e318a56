import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import ConfluenceRCAPlugin
import Foundation
import Postmortem
import Testing

/// Point 2's configuration: keys, defaults, `enabled: auto`, the template file, and errors that
/// name file, line and key without printing the token.
@Suite struct ConfluenceConfigurationTests {
    static let valid = "base_url: https://acme.atlassian.net/wiki/, username: a@acme.test, api_token: tok3n-secret-value, space: ENG, parent_page: RCAs"

    func load(_ config: String, _ environment: [String: String] = [:], baseDirectory: String? = nil) throws -> LoadedConfiguration {
        try ConfigurationLoader.load(
            yaml: "plugins:\n  cases: { enabled: true, config: { notifications_channel: C1 } }\n  confluence:\n" + config,
            environment: environment, available: [CasesPlugin.self, ConfluenceRCAPlugin.self], baseDirectory: baseDirectory)
    }

    func problems(_ config: String) -> String {
        do {
            _ = try load(config)
            return ""
        } catch let error as ConfigurationErrors {
            return error.problems.map(\.description).joined(separator: "\n")
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAndTheBuiltInTemplate() throws {
        let loaded = try load("    enabled: true\n    config: { \(Self.valid) }\n")
        let configuration = try #require(loaded.plugins.last?.configuration as? ConfluenceRCAPlugin.Configuration)
        #expect(configuration.baseURL == "https://acme.atlassian.net/wiki")
        #expect(configuration.space == "ENG")
        #expect(configuration.parentPage == "RCAs")
        #expect(configuration.onResolve)
        #expect(try configuration.resolvedTemplate().name == ConfluenceRCAPlugin.Configuration.builtInTemplateName)
        #expect(try configuration.resolvedTemplate().escaping == .storageXHTML)
    }

    @Test func theEditableCopyIsTheBuiltInTemplate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let loaded = try load(
            "    enabled: true\n    config: { \(Self.valid), template: templates/confluence/rca.html, on_resolve: false }\n", baseDirectory: root.path)
        let configuration = try #require(loaded.plugins.last?.configuration as? ConfluenceRCAPlugin.Configuration)
        let builtIn = ConfluenceRCAPlugin.Configuration(
            baseURL: "https://acme.atlassian.net/wiki", username: "a@acme.test", apiToken: "t", space: "ENG", parentPage: "RCAs")
        #expect(try configuration.resolvedTemplate().name == "templates/confluence/rca.html")
        #expect(
            try configuration.resolvedTemplate().template == builtIn.resolvedTemplate().template,
            "templates/confluence/rca.html and the built-in template differ")
        #expect(!configuration.onResolve)
    }

    @Test func autoIsOffUntilEveryValueIsSet() throws {
        let config = """
                enabled: auto
                config:
                  base_url: ${CONFLUENCE_API_URL:-}
                  username: ${CONFLUENCE_API_USERNAME:-}
                  api_token: ${CONFLUENCE_API_TOKEN:-}
                  space: ${CONFLUENCE_SPACE:-}
                  parent_page: ${CONFLUENCE_PARENT_PAGE:-}

            """
        var environment = [
            "CONFLUENCE_API_URL": "https://acme.atlassian.net/wiki", "CONFLUENCE_API_USERNAME": "a@acme.test", "CONFLUENCE_API_TOKEN": "tok",
            "CONFLUENCE_SPACE": "ENG",
        ]
        let off = try load(config, environment)
        #expect(off.pluginStates.contains("confluence: off (auto: plugins.confluence.config.parent_page is empty)"), "\(off.pluginStates)")
        environment["CONFLUENCE_PARENT_PAGE"] = "RCAs"
        #expect(try load(config, environment).plugins.count == 2)
    }

    @Test func theShippedSectionSwitchesItOnFromTheEnvironment() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("plugins.yaml"), encoding: .utf8)
        let start = try #require(text.range(of: "\n  confluence:\n"))
        let end = text.range(of: "\n\n  ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        let section = String(text[text.index(after: start.lowerBound)..<end]).split(separator: "\n").dropFirst().joined(separator: "\n") + "\n"
        #expect(try load(section).pluginStates.contains { $0.hasPrefix("confluence: off") })
        let loaded = try load(section, [
            "CONFLUENCE_API_URL": "https://acme.atlassian.net/wiki", "CONFLUENCE_API_USERNAME": "a@acme.test", "CONFLUENCE_API_TOKEN": "tok",
            "CONFLUENCE_SPACE": "ENG", "CONFLUENCE_PARENT_PAGE": "Incident RCAs",
        ])
        let configuration = try #require(loaded.plugins.last?.configuration as? ConfluenceRCAPlugin.Configuration)
        #expect(configuration.parentPage == "Incident RCAs")
        #expect(configuration.onResolve)
    }

    @Test func badValuesAreNamedWithTheirKeyAndLine() throws {
        let secret = "has a space secret"
        let token = problems("    enabled: true\n    config: { base_url: https://acme.atlassian.net/wiki, username: a, api_token: '\(secret)', space: ENG, parent_page: P }\n")
        #expect(token.contains("plugins.confluence.config.api_token"))
        #expect(!token.contains(secret))
        let noWiki = problems("    enabled: true\n    config: { base_url: https://acme.atlassian.net, username: a, api_token: t, space: ENG, parent_page: P }\n")
        #expect(noWiki.contains("plugins.confluence.config.base_url") && noWiki.contains("/wiki"), "\(noWiki)")
        let plainHTTP = problems("    enabled: true\n    config: { base_url: 'http://wiki.example.com/wiki', username: a, api_token: t, space: ENG, parent_page: P }\n")
        #expect(plainHTTP.contains("https://"))
        let spaceName = problems("    enabled: true\n    config: { base_url: https://acme.atlassian.net/wiki, username: a, api_token: t, space: 'Engineering Team', parent_page: P }\n")
        #expect(spaceName.contains("plugins.confluence.config.space") && spaceName.contains("key"), "\(spaceName)")
        let missing = problems("    enabled: true\n    config:\n      base_url: https://acme.atlassian.net/wiki\n      username: a\n      api_token: t\n      space: ENG\n")
        #expect(missing.contains("parent_page"), "\(missing)")
        let unknown = problems("    enabled: true\n    config: { \(Self.valid), on_resolv: false }\n")
        #expect(unknown.contains("on_resolv"))
    }

    @Test func aMissingOrBrokenTemplateFileIsAProblemAtItsKey() throws {
        let missing = problems("    enabled: true\n    config:\n      \(Self.valid.replacingOccurrences(of: ", ", with: "\n      "))\n      template: /nonexistent/rca.html\n")
        #expect(missing.contains("plugins.yaml:11:"), "\(missing)")
        #expect(missing.contains("plugins.confluence.config.template") && missing.contains("does not exist"), "\(missing)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-rca-\(UUID().uuidString).html")
        try "<h1>{{title}}</h1>\n{{#roles}}\n<p>{{name}}</p>\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let broken = problems("    enabled: true\n    config: { \(Self.valid), template: '\(file.path)' }\n")
        #expect(broken.contains("plugins.confluence.config.template"), "\(broken)")
        #expect(broken.contains("line 2") && broken.contains("{{#roles}} is never closed"), "\(broken)")
    }
}
