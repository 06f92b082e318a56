import CasebookHost
import CasebookKit
import Testing

/// Two plugins that both claim `/case echo`, the shortcut `grab` and the action `go`.
private struct FirstClaimant: StatelessPlugin {
    static let id = "first"
    func register(_ routes: inout Routes<Self>) {
        routes.command("echo", help: "first echo") { _, _, _ in .ack }
        routes.messageShortcut("grab", name: "Grab", description: "first grab") { _, _, _ in .ack }
        routes.blockAction("go") { _, _, _ in .ack }
    }
}

private struct SecondClaimant: StatelessPlugin {
    static let id = "second"
    func register(_ routes: inout Routes<Self>) {
        routes.command("echo", help: "second echo") { _, _, _ in .ack }
        routes.messageShortcut("grab", name: "Grab", description: "second grab") { _, _, _ in .ack }
        routes.blockAction("go") { _, _, _ in .ack }
        routes.command("help", help: "mine") { _, _, _ in .ack }
    }
}

@Suite("Plugin registry")
struct RegistryTests {
    @Test func conflictingRegistrationsAreAStartUpErrorNamingBothPlugins() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  first: { enabled: true }\n  second: { enabled: true }\n", environment: [:],
            available: [FirstClaimant.self, SecondClaimant.self])
        do {
            _ = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
            Issue.record("mounting conflicting plugins succeeded")
        } catch let error as RegistryError {
            #expect(error.problems.contains("subcommand 'echo' is registered by both 'first' and 'second'"))
            #expect(error.problems.contains("shortcut callback id 'grab' is registered by both 'first' and 'second'"))
            #expect(error.problems.contains("action id 'go' is registered by both 'first' and 'second'"))
            #expect(error.problems.contains { $0.hasPrefix("subcommand 'help' is reserved by the host") })
        }
    }

    @Test func helpListsSubcommandsInRegistrationOrderWithUsage() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  first: { enabled: true }\n", environment: [:], available: [FirstClaimant.self])
        let registry = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
        #expect(registry.help(slashCommand: "/ops") == """
            */ops* — what you can do:
            • `/ops echo` — first echo
            • `/ops help` — this list
            """)
        let manifest = CasebookApp.manifestInput(configuration: configuration, registry: registry)
        #expect(manifest.shortcuts.map(\.callbackID) == ["grab"])
        #expect(manifest.scopes.isSuperset(of: ["commands", "users:read", "chat:write"]))
    }
}

/// A plugin with two handlers for one event (two features of one plugin reacting to it).
private struct Pinged: DomainEvent {
    static let name = "test.pinged"
}

private struct TwiceSubscribed: StatelessPlugin {
    static let id = "twice"
    func register(_ routes: inout Routes<Self>) {
        routes.subscribe(Pinged.self) { _, _, _ in }
        routes.subscribe(Pinged.self) { _, _, _ in }
    }
}

@Suite("Plugin registry: subscriptions")
struct RegistrySubscriptionTests {
    /// One delivery runs every handler the plugin registered for the event, so it gets one delivery.
    @Test func aPluginSubscribedTwiceToAnEventIsOneSubscriber() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  twice: { enabled: true }\n", environment: [:], available: [TwiceSubscribed.self])
        let registry = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
        #expect(registry.subscribers == [Pinged.name: ["twice"]])
    }
}
