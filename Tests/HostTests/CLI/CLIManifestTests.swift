import CasebookKit
import Foundation
import Testing

/// `casebook manifest`: what a person pastes into api.slack.com must be a valid manifest, the same
/// in YAML and JSON, and ask for no scope that reads message history.
@Suite("casebook manifest")
struct CLIManifestTests {
    static let environment = ["ISSUES_CHANNEL_ID": "C0INCIDENTS", "DIGEST_CHANNEL_ID": "C0INCIDENTS"]

    static func manifest(_ extra: [String], in directory: TemporaryDirectory) async throws -> (json: JSONValue, yaml: String) {
        try directory.copyRepositoryConfiguration()
        let json = try await CasebookProcess.run(
            ["manifest", "--config", "plugins.yaml", "--format", "json"] + extra, environment: environment, in: directory)
        try #require(json.status == 0, "\(json)")
        #expect(json.stderr.isEmpty, "\(json)")
        let yaml = try await CasebookProcess.run(
            ["manifest", "--config", "plugins.yaml", "--format", "yaml"] + extra, environment: environment, in: directory)
        try #require(yaml.status == 0, "\(yaml)")
        #expect(yaml.stderr.isEmpty, "\(yaml)")
        return (try JSONValue.decode(json.stdout), yaml.stdout)
    }

    static func scopes(_ manifest: JSONValue) -> [String] {
        manifest["oauth_config"]?["scopes"]?["bot"]?.array?.compactMap(\.string) ?? []
    }

    @Test func socketModeManifestIsValidAndTheSameInYAML() async throws {
        try await TemporaryDirectory.with { directory in
            let (manifest, yaml) = try await Self.manifest([], in: directory)
            #expect(try loadSchema().errors(manifest) == [])
            #expect(manifest["settings"]?["socket_mode_enabled"] == true)
            #expect(manifest["features"]?["slash_commands"]?[0]?["command"] == "/case")
            #expect(manifest["features"]?["slash_commands"]?[0]?["url"] == nil)
            #expect(try json(fromYAML: yaml) == manifest)

            let scopes = Self.scopes(manifest)
            #expect(scopes.contains("commands"))
            #expect(scopes.contains("chat:write"))
            #expect(!scopes.contains { $0.hasSuffix(":history") }, "\(scopes)")
        }
    }

    @Test func httpModeManifestPointsAtTheRequestURL() async throws {
        try await TemporaryDirectory.with { directory in
            let (manifest, yaml) = try await Self.manifest(["--request-url", "https://casebook.example.com"], in: directory)
            #expect(try loadSchema().errors(manifest) == [])
            #expect(try json(fromYAML: yaml) == manifest)

            let url: JSONValue = "https://casebook.example.com/slack/events"
            #expect(manifest["settings"]?["socket_mode_enabled"] == false)
            #expect(manifest["features"]?["slash_commands"]?[0]?["url"] == url)
            #expect(manifest["settings"]?["interactivity"]?["request_url"] == url)
            #expect(manifest["settings"]?["event_subscriptions"]?["request_url"] == url)
            #expect(!Self.scopes(manifest).contains { $0.hasSuffix(":history") })
        }
    }
}
