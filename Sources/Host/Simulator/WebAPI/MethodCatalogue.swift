import CasebookKit
import Foundation

/// What the simulator knows about a Web API method from Slack's own catalogue
/// (`Methods/*.json`, a copy of slack-ruby/slack-api-ref `docs.slack.dev/methods`): the bot scopes
/// (any one suffices), whether JSON bodies are accepted, the rate tier and the required arguments.
public struct MethodSpec: Sendable, Equatable {
    public var name: String
    public var httpMethod: String
    public var botScopes: [String]
    public var jsonInputSupported: Bool
    /// `t1`…`t4`, or `t5` for Slack's "special" tier.
    public var tier: String
    /// Required arguments other than `token`.
    public var required: [String]
}

/// The method catalogue, loaded once from the module's resources.
public enum MethodCatalogue {
    public static let methods: [String: MethodSpec] = load()

    private static func load() -> [String: MethodSpec] {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Methods"),
              let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [:] }
        var methods: [String: MethodSpec] = [:]
        for file in files where file.pathExtension == "json" {
            guard let data = try? Data(contentsOf: file), let json = try? JSONValue.decode(data) else { continue }
            let name = file.deletingPathExtension().lastPathComponent
            methods[name] = MethodSpec(
                name: name,
                httpMethod: json["http_method"]?.string ?? "POST",
                botScopes: json["scope"]?["bot"]?.array?.compactMap(\.string) ?? [],
                jsonInputSupported: json["json_input_supported"]?.bool ?? false,
                tier: json["rate_limits"]?.string ?? "t3",
                required: (json["args"]?["required"]?.array?.compactMap(\.string) ?? []).filter { $0 != "token" })
        }
        return methods
    }
}
