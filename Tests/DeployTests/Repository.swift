import Foundation
import Yams

/// Files of the repository the deployment artifacts are checked against, and the built binary.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Every `.yaml` file under `deploy/kubernetes`, relative to the repository root, sorted.
    static func kubernetesFiles() throws -> [String] {
        let base = root.appendingPathComponent("deploy/kubernetes")
        guard let walker = FileManager.default.enumerator(atPath: base.path) else {
            throw Failure(description: "deploy/kubernetes is missing")
        }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.map { "deploy/kubernetes/" + $0 }.sorted()
    }

    /// The YAML documents of one manifest file, as dictionaries.
    static func documents(_ relativePath: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: text(relativePath)).compactMap { $0 as? [String: Any] }
    }

    /// The debug `casebook` this test run was built with: `swift build --build-tests` puts it next to
    /// the test bundle (`.build/<triple>/debug/`).
    static func casebookExecutable() throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("casebook").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        let fallback = root.appendingPathComponent(".build/debug/casebook").path
        guard FileManager.default.isExecutableFile(atPath: fallback) else {
            throw Failure(description: "the casebook executable was not found: run `swift build --build-tests` first")
        }
        return fallback
    }

    /// Runs a program to completion and returns its exit status and standard output (standard
    /// error appended, for failure messages).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Variable names in the first column of README's "### Environment" table.
    static func readmeEnvironmentVariables() throws -> Set<String> {
        let readme = try text("README.md")
        guard let start = readme.range(of: "\n### Environment\n") else { throw Failure(description: "README has no ### Environment") }
        var names = Set<String>()
        for line in readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { break }
            guard line.hasPrefix("| `") else { continue }
            let firstColumn = line.dropFirst().prefix { $0 != "|" }
            for (index, part) in firstColumn.split(separator: "`", omittingEmptySubsequences: false).enumerated() where index % 2 == 1 {
                names.insert(String(part))
            }
        }
        return names
    }
}

/// Dictionary and list access for parsed YAML.
extension Dictionary where Key == String, Value == Any {
    func map(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func list(_ key: String) -> [[String: Any]] { (self[key] as? [Any])?.compactMap { $0 as? [String: Any] } ?? [] }
    func string(_ key: String) -> String? { self[key].map { "\($0)" } }
    func int(_ key: String) -> Int? { self[key] as? Int ?? (self[key] as? String).flatMap(Int.init) }
}
