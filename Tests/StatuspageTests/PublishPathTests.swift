import Foundation
import Testing

/// Point 4: nanohype's CI grep as a test. Statuspage's incident endpoints are written in one file
/// only, its create and update happen in one function, and that function is called only from the
/// effect of the approval gate's `execute`.
@Suite struct PublishPathTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let publisher = "Sources/Plugins/Statuspage/Publishing/Publisher.swift"

    /// Every Swift file under `Sources/`, by path relative to the repository.
    static func sources() throws -> [String: String] {
        let base = root.appendingPathComponent("Sources")
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            files[url.path.replacingOccurrences(of: root.path + "/", with: "")] = try String(contentsOf: url, encoding: .utf8)
        }
        return files
    }

    @Test func statuspagesIncidentEndpointsAppearInOneFileOnly() throws {
        let files = try Self.sources()
        #expect(files.count > 100, "the source tree was found")
        let callers = files.filter { path, text in
            // The fakes serve these paths (FakeStatusPages the public status API's); they do not call them.
            guard !path.hasPrefix("Sources/Host/CasebookSandbox/Fakes/FakeStatuspage"), !path.hasPrefix("Sources/Host/CasebookSandbox/Fakes/FakeStatusPages") else { return false }
            let statuspage = path.hasPrefix("Sources/Plugins/Statuspage/") || text.contains("pages/") || text.lowercased().contains("statuspage")
            return statuspage && text.contains("/incidents")
        }.keys.sorted()
        #expect(callers == [Self.publisher])
    }

    @Test func theCreateAndUpdateHappenInOneFunctionReachedOnlyThroughTheGate() throws {
        let files = try Self.sources()
        let publisher = try #require(files[Self.publisher])
        #expect(publisher.components(separatedBy: "OutboundRequest.json(").count == 2, "one write request in the file")
        #expect(publisher.components(separatedBy: "write(.post").count == 2 && publisher.components(separatedBy: "write(.patch").count == 2)
        #expect(!publisher.contains(".put"))

        // `Publisher(` is built and `.publish(` called in one place, inside `approvals.execute`'s effect.
        let users = files.filter { $0.key != Self.publisher && $0.value.contains("Publisher(") }
        #expect(users.keys.sorted() == ["Sources/Plugins/Statuspage/Publishing/PublishCall.swift"])
        let call = try #require(users.values.first)
        let execute = try #require(call.range(of: "context.approvals.execute("))
        let publish = try #require(call.range(of: "publisher.publish("))
        #expect(execute.upperBound < publish.lowerBound)
        #expect(call.components(separatedBy: "publisher.publish(").count == 2)
        let effect = call[execute.upperBound..<publish.lowerBound]
        #expect(!effect.contains("return try"), "the call is inside the effect's closure, not after it")
    }
}
