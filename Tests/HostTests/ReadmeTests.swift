import Foundation
import Testing

/// The README's example plugin is the compiled, tested one — not a copy that can rot.
@Suite struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: [("example-plugin", "ExamplePlugin.swift"), ("example-test", "ExamplePluginTests.swift")])
    func theReadmeShowsTheExampleVerbatim(marker: String, file: String) throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent("Tests/HostTests/\(file)"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- \(marker):start -->\n```swift\n"))
        let end = try #require(readme.range(of: "```\n<!-- \(marker):end -->"))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == example)
    }

    /// Issue #10: a complete plugin (subcommand, button, modal) in under 60 lines, its test in under 30.
    @Test func theExampleIsShort() throws {
        let lines = { (file: String) in
            try String(contentsOf: Self.root.appendingPathComponent("Tests/HostTests/\(file)"), encoding: .utf8).split(separator: "\n").count
        }
        #expect(try lines("ExamplePlugin.swift") < 60)
        #expect(try lines("ExamplePluginTests.swift") < 30)
    }

    /// "How a slash command flows" names files in order; each must exist, so the walk matches the code.
    @Test func theSlashCommandWalkNamesFilesThatExist() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### How a slash command flows").dropFirst().first?
            .components(separatedBy: "\n## ").first)
        let named = section.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 && $0.element.hasSuffix(".swift") }.map(\.element)
        #expect(named.count > 20)
        let sources = Self.root.appendingPathComponent("Sources")
        let files = (FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }
        for name in named {
            #expect(files.contains { $0 == name || $0.hasSuffix("/" + name) }, "README names \(name), which is not under Sources/")
        }
    }

    @Test func theQuickStartIsExactlyTwoCommands() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Quick start").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map { $0.split(separator: "#").first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "" }
        #expect(commands == ["swift run casebook playground", "swift test"])
    }
}
