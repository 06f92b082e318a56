import CasebookKit
import Foundation
import Testing

/// The Kit's configuration pieces on their own; how the host's decoder uses them is in
/// HostTests' `PluginConfigurationTests`.
@Suite struct ConfigurationValuesTests {
    struct Lists: Decodable {
        @CommaList var names: [String]
        @Required var channel: String
    }

    @Test func aCommaListReadsAListOrACommaSeparatedString() throws {
        let fromText = try JSONDecoder().decode(Lists.self, from: Data(#"{"names": " a, b,,c ", "channel": " C1 "}"#.utf8))
        #expect(fromText.names == ["a", "b", "c"])
        #expect(fromText.channel == "C1")  // required strings are trimmed
        let fromList = try JSONDecoder().decode(Lists.self, from: Data(#"{"names": ["a, b", " c"], "channel": "C1"}"#.utf8))
        #expect(fromList.names == ["a", "b", "c"])
    }

    @Test func serviceURLsMustBeHTTPSOrLocal() throws {
        #expect(try ServiceURL.checked("https://api.example.com/v1/", key: "apiURL") == "https://api.example.com/v1")
        #expect(try ServiceURL.checked("http://127.0.0.1:8080", key: "apiURL") == "http://127.0.0.1:8080")
        #expect(throws: ConfigurationError("apiURL", "must be an https:// URL (http:// only to 127.0.0.1 or localhost), found 'http://api.example.com'")) {
            try ServiceURL.checked("http://api.example.com", key: "apiURL")
        }
    }

    @Test func aConfigurationErrorNamesItsKey() {
        #expect(ConfigurationError("slugLength", "must be between 1 and 60, found 0").description == "slugLength: must be between 1 and 60, found 0")
    }
}
