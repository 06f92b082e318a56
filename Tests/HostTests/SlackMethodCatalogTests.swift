import CasebookHost
import CasebookKit
import Foundation
import Testing

/// The runtime owns Slack's method catalogue: `Sources/Host/SlackMethods/Methods/*.json` is its
/// data, `SlackMethodCatalog.swift` is generated from it, and the simulator reads the generated
/// table. These tests keep the three in step (regenerate with `scripts/generate-method-catalog.py`).
@Suite struct SlackMethodCatalogTests {
    static let sources = ReadmeTests.root.appendingPathComponent("Sources/Host")

    @Test func theGeneratedCatalogueMatchesEveryMethodFile() throws {
        let directory = Self.sources.appendingPathComponent("SlackMethods/Methods")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil).filter { $0.pathExtension == "json" }
        #expect(files.count >= 30)
        let tiers: [String: SlackRateTier] = ["t1": .tier1, "t2": .tier2, "t3": .tier3, "t4": .tier4, "t5": .special]
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let json = try JSONValue.decode(try Data(contentsOf: file))
            let info = try #require(SlackMethodCatalog.method(name), "\(name).json is not in the generated catalogue")
            #expect(info.botScopes == (json["scope"]?["bot"]?.array?.compactMap(\.string) ?? []), "\(name)")
            #expect(info.tier == tiers[json["rate_limits"]?.string ?? "t3"], "\(name)")
            #expect(info.jsonInputSupported == (json["json_input_supported"]?.bool ?? false), "\(name)")
            #expect(info.httpMethod == (json["http_method"]?.string ?? "POST").uppercased(), "\(name)")
            let required = (json["args"]?["required"]?.array?.compactMap(\.string) ?? []).filter { $0 != "token" }
            #expect(info.requiredArguments == required, "\(name)")
        }
    }

    /// The simulator reads the catalogue from the runtime's module; it carries no copy of its own.
    @Test func theSimulatorCarriesNoCatalogueOfItsOwn() throws {
        let simulator = Self.sources.appendingPathComponent("Simulator")
        #expect(!FileManager.default.fileExists(atPath: simulator.appendingPathComponent("Methods").path))
        let enumerator = try #require(FileManager.default.enumerator(at: simulator, includingPropertiesForKeys: nil))
        for case let file as URL in enumerator where file.pathExtension == "json" {
            Issue.record("the simulator holds \(file.lastPathComponent); Slack method data belongs in Sources/Host/SlackMethods")
        }
    }
}
