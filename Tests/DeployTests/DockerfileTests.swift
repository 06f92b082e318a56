import CasebookHost
import Foundation
import Testing

/// deploy/Dockerfile: its shape (multi-stage, non-root, `casebook serve`, config overridable,
/// health check on the host's port) and its runtime package list against what the binary links.
///
/// No Docker engine runs here and CI does no release build (it would add 10+ minutes), so the
/// library check uses the debug `casebook` this test run was built with. That is sound because
/// which shared libraries a Swift binary needs depends on the modules it links, not on the
/// optimisation level: debug and release link the same system libraries (libc6, libstdc++6,
/// libgcc-s1, zlib1g here); they differ only in Swift's own runtime libraries (the debug build adds
/// libswiftSwiftOnoneSupport). The image builds with `--static-swift-stdlib`, which links the Swift
/// runtime, Foundation, Dispatch and ICU into the binary, so libraries from the Swift toolchain are
/// ignored — but only while the Dockerfile says `--static-swift-stdlib`; without it they are
/// required too and the check fails, as the image would. Every other library `ldd` reports is
/// mapped to its Debian package with `dpkg -S`, which must be in the runtime stage's
/// `apt-get install` list. The release binary's `ldd`, recorded in the Dockerfile, lists the same
/// packages.
@Suite("deploy/Dockerfile")
struct DockerfileTests {
    static func dockerfile() throws -> String { try Repository.text("deploy/Dockerfile") }

    /// Instructions with their continuation lines joined, comments dropped.
    static func instructions(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || trimmed.isEmpty { continue }
            if trimmed.hasSuffix("\\") {
                current += trimmed.dropLast() + " "
            } else {
                result.append(current + trimmed)
                current = ""
            }
        }
        return result
    }

    /// The packages the runtime stage installs.
    static func runtimePackages(_ text: String) throws -> Set<String> {
        guard let begin = text.range(of: "# runtime-packages-begin"), let end = text.range(of: "# runtime-packages-end") else {
            throw Repository.Failure(description: "deploy/Dockerfile lacks the runtime-packages markers")
        }
        let block = instructions(String(text[begin.upperBound..<end.lowerBound])).joined(separator: " ")
        guard let install = block.range(of: "apt-get install") else { throw Repository.Failure(description: "no apt-get install") }
        let words = block[install.upperBound...].split(separator: " ")
        return Set(words.prefix { $0 != "&&" }.filter { !$0.hasPrefix("-") }.map(String.init))
    }

    @Test func multiStageNonRootServeWithHealthCheck() throws {
        let text = try Self.dockerfile()
        let lines = Self.instructions(text)
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2 && stages[0].hasSuffix(" AS build"))
        #expect(lines.contains("ARG SWIFT_IMAGE=swift:6.3-bookworm"), "build with the Swift 6.3 image")
        #expect(lines.contains { $0.hasPrefix("ARG RUNTIME_IMAGE=debian:") && $0.hasSuffix("-slim") })
        #expect(lines.contains { $0.hasPrefix("RUN ") && $0.contains("swift build -c release --product casebook --static-swift-stdlib") })
        let runtime = lines.drop { !$0.hasPrefix("FROM ${RUNTIME_IMAGE}") }
        let user = try #require(runtime.last { $0.hasPrefix("USER ") })
        #expect(!user.contains("root") && !user.hasPrefix("USER 0"))
        #expect(runtime.contains("COPY plugins.yaml /app/plugins.yaml") && runtime.contains("COPY templates /app/templates"))
        #expect(runtime.contains { $0.contains("CASEBOOK_CONFIG=/app/plugins.yaml") })
        #expect(runtime.contains(#"ENTRYPOINT ["casebook"]"#))
        #expect(runtime.contains { $0.hasPrefix(#"CMD ["serve""#) })
        let port = try HostEnvironment([:]).port
        #expect(runtime.contains("EXPOSE \(port)") && runtime.contains { $0.contains("PORT=\(port)") })
        let healthcheck = try #require(runtime.first { $0.hasPrefix("HEALTHCHECK ") })
        #expect(healthcheck.contains("http://127.0.0.1:${PORT}/healthz"))
        #expect(try Self.runtimePackages(text).contains("curl"), "the health check's client is installed")
        #expect(try Repository.text("deploy/Dockerfile.dockerignore").contains(".build"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") && FileManager.default.isExecutableFile(atPath: "/usr/bin/ldd")))
    func runtimePackagesCoverWhatTheBinaryLinks() throws {
        let text = try Self.dockerfile()
        let packages = try Self.runtimePackages(text)
        let staticSwift = Self.instructions(text).contains { $0.contains("--static-swift-stdlib") }
        let binary = try Repository.casebookExecutable()
        let ldd = try Repository.run("/usr/bin/ldd", [binary])
        #expect(ldd.status == 0, "\(ldd.output)")
        var needed: [String: String] = [:]
        for line in ldd.output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            #expect(!line.contains("not found"), "\(line)")
            // "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
            let target = line.contains(" => ") ? line.components(separatedBy: " => ")[1] : line
            guard let path = target.split(separator: " ").first.map(String.init), path.hasPrefix("/") else { continue }
            if staticSwift, path.contains("/lib/swift/linux/") { continue }
            needed[path] = try Self.debianPackage(of: path)
        }
        #expect(Set(needed.values).isSuperset(of: ["libc6"]), "\(needed)")
        for (library, package) in needed.sorted(by: { $0.key < $1.key }) {
            #expect(packages.contains(package), "\(library) comes from \(package), which deploy/Dockerfile does not install")
        }
    }

    /// The package owning `path`: as given, resolved through symlinks, or under /usr (merged /usr).
    static func debianPackage(of path: String) throws -> String {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        for candidate in [path, resolved, "/usr" + path, "/usr" + resolved] {
            let answer = try Repository.run("/usr/bin/dpkg", ["-S", candidate])
            if answer.status == 0, let owner = answer.output.split(separator: "\n").first?.split(separator: ":").first {
                return String(owner)
            }
        }
        throw Repository.Failure(description: "no Debian package owns \(path)")
    }
}
