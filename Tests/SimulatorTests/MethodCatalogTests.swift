import CasebookKit
import SlackMethods
import SlackSimulator
import Testing

/// The simulator answers from the runtime's method catalogue (`SlackMethods`), so the scopes,
/// required arguments and methods it knows are the ones the host's Web API client checks against.
@Suite struct MethodCatalogTests {
    @Test func everyCataloguedMethodIsKnownAndItsRequiredArgumentsAreEnforced() async throws {
        try await SlackSimulator.withRunning { sim in
            // apps.connections.open takes the app token; every other method the bot token.
            for (name, info) in SlackMethodCatalog.all.sorted(by: { $0.key < $1.key }) where name != "apps.connections.open" {
                let answer = try await Client.form(sim, name)
                #expect(answer.error != "unknown_method", "\(name) is catalogued but the simulator does not know it")
                guard !info.requiredArguments.isEmpty else { continue }
                #expect(answer.error == "invalid_arguments", "\(name) without arguments")
                let messages = answer.json["response_metadata"]?["messages"]?.array?.compactMap(\.string) ?? []
                #expect(messages == info.requiredArguments.map { "[ERROR] missing required field: \($0)" }, "\(name)")
            }
            #expect(SlackMethodCatalog.method("no.such.method") == nil)
            #expect(try await Client.form(sim, "no.such.method").error == "unknown_method")
        }
    }

    @Test func missingScopeNamesTheCataloguesScopes() async throws {
        try await SlackSimulator.withRunning(.seeded(grantedScopes: ["chat:write"])) { sim in
            let needed = try #require(SlackMethodCatalog.method("pins.add")).botScopes
            let answer = try await Client.form(sim, "pins.add", ["channel": "C0INCIDENTS", "timestamp": "1.0"])
            #expect(answer.error == "missing_scope")
            #expect(answer.json["needed"]?.string == needed.joined(separator: ","))
        }
    }
}
