import Foundation
import Testing

/// The README's example plugin is the compiled, tested one — not a copy that can rot.
@Suite struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theReadmeShowsTheExamplePluginVerbatim() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent("Tests/HostTests/ExamplePlugin.swift"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- example-plugin:start -->\n```swift\n"))
        let end = try #require(readme.range(of: "```\n<!-- example-plugin:end -->"))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == example)
    }

    @Test func theQuickStartIsExactlyTwoCommands() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Quick start").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map { $0.split(separator: "#").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        #expect(commands == ["swift run casebook playground", "swift test"])
    }
}
