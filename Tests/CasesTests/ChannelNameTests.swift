import CasebookHost
import CasebookKit
import Testing
@testable import CasesPlugin

@Suite struct ChannelNameTests {
    @Test func theDefaultReproducesTheCaseAppExample() throws {
        let naming = try #require(try decodeConfiguration(#"{"notifications_channel": "C1"}"#)).channelName
        #expect(naming.name(for: "API response times increasing", suffix: "a3f") == "case-api-respons-a3f")
    }

    @Test(arguments: [
        ("API down!!", 11, "api-down"),
        ("  Payments   — failing in EU ", 40, "payments-failing-in-eu"),
        ("Can't log in", 40, "cant-log-in"),
        ("Café crème outage", 40, "cafe-creme-outage"),
        ("abc def", 4, "abc"),  // no trailing hyphen after the cut
        ("🔥🔥🔥", 11, "investigation"),
        ("UPPER lower 123", 40, "upper-lower-123"),
    ])
    func slugs(description: String, length: Int, expected: String) {
        #expect(ChannelName.slug(description, length: length) == expected)
    }

    @Test func namesAreValidSlackChannelNamesWithinEightyCharacters() {
        let naming = ChannelName(prefix: String(repeating: "p", count: 40), slugLength: 60)
        let name = naming.name(for: String(repeating: "word ", count: 40), suffix: naming.randomSuffix())
        #expect(name.count <= 80)
        #expect(name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
    }

    @Test func suffixesAreShortLowercaseHex() {
        let naming = ChannelName(prefix: "case", slugLength: 11)
        let suffixes = (0..<50).map { _ in naming.randomSuffix() }
        #expect(suffixes.allSatisfy { $0.count == 3 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        #expect(Set(suffixes).count > 1)
    }
}

/// Decodes with the host's configuration decoder (JSON is YAML), which gives the defaults and checks.
func decodeConfiguration(_ json: String) throws -> CasesPlugin.Configuration {
    try ConfigurationLoader.decodeConfiguration(of: CasesPlugin.self, yaml: json)
}
