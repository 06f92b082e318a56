import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shipping `casebook` binary carries the playground's host assembly (CasebookSandbox) but not
/// the test harness: CasebookTesting, and with it a type named `TestHost`, stays out of it.
@Suite("casebook binary without the test harness")
struct ShippingBinaryTests {
    /// The quoted names in the `casebook` executable target's `dependencies:` list in Package.swift.
    static func casebookDependencies() throws -> [String] {
        let manifest = try Repository.text("Package.swift")
        // The `casebook` product is built from the CasebookCLI target; its list ends at its path.
        guard manifest.contains(".executable(name: \"casebook\", targets: [\"CasebookCLI\"])"),
            let end = manifest.range(of: "path: \"Sources/Host/CasebookCLI\""),
            let start = manifest.range(of: "name: \"CasebookCLI\",", options: .backwards, range: manifest.startIndex..<end.lowerBound)
        else { throw Repository.Failure(description: "Package.swift has no `casebook` product built from CasebookCLI at Sources/Host/CasebookCLI") }
        let list = manifest[start.upperBound..<end.lowerBound]
        return list.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    @Test("Package.swift: casebook depends on CasebookSandbox, not CasebookTesting")
    func manifestDependencies() throws {
        let dependencies = try Self.casebookDependencies()
        #expect(dependencies.contains("CasebookHost"), "the dependency list was not read: \(dependencies)")
        #expect(dependencies.contains("CasebookSandbox"))
        #expect(!dependencies.contains("CasebookTesting"))
    }

    @Test("no source the binary is built from imports CasebookTesting")
    func sourcesDoNotImportTesting() throws {
        var offenders: [String] = []
        var checked = 0
        for folder in ["Sources/Host/CasebookCLI", "Sources/Host/CasebookSandbox"] {
            let base = Repository.root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else {
                throw Repository.Failure(description: "\(folder) is missing")
            }
            for case let path as String in walker where path.hasSuffix(".swift") {
                checked += 1
                let text = try Repository.text(folder + "/" + path)
                let imports = text.split(separator: "\n").filter {
                    $0.trimmingCharacters(in: .whitespaces).hasSuffix("import CasebookTesting")
                }
                if !imports.isEmpty { offenders.append(folder + "/" + path) }
            }
        }
        #expect(checked > 10)
        #expect(offenders.isEmpty, "these import CasebookTesting: \(offenders)")
    }

    /// Swift keeps type names in the binary's metadata (`15CasebookTesting8TestHostC` when linked),
    /// so a byte search of the built executable shows whether the harness was linked.
    @Test("the built casebook contains neither TestHost nor CasebookTesting")
    func binaryHasNoTestHost() throws {
        let binary = try Data(contentsOf: URL(fileURLWithPath: Repository.casebookExecutable()), options: .alwaysMapped)
        func contains(_ needle: String) -> Bool {
            let pattern = Array(needle.utf8)
            return binary.withUnsafeBytes { haystack in
                guard var cursor = haystack.baseAddress else { return false }
                let end = cursor + haystack.count
                // memchr to each candidate first byte, then memcmp (Glibc does not export memmem to Swift).
                while end - cursor >= pattern.count,
                    let hit = memchr(cursor, Int32(pattern[0]), end - cursor - pattern.count + 1)
                {
                    if memcmp(hit, pattern, pattern.count) == 0 { return true }
                    cursor = UnsafeRawPointer(hit) + 1
                }
                return false
            }
        }
        #expect(contains("CasebookSandbox"), "the sandbox (the playground's host) should be linked")
        #expect(contains("SandboxHost"))
        #expect(!contains("TestHost"))
        #expect(!contains("CasebookTesting"))
    }
}
