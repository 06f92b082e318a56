import CasebookHost
import CasebookKit
import Testing

/// Two plugins that both declare the action `refresh` and the modal `form`, each without its prefix.
private struct Alpha: StatelessPlugin {
    static let id = "alpha"
    static let refresh = ActionKey<Alpha>("refresh")
    static let form = CallbackKey<Alpha>("form")

    /// The message whose button the route below answers: the builder writes the key, not a string.
    static var panel: Message { Message("Alpha") { Block.actions([.button("Refresh", actionID: refresh.wire, value: "a")]) } }

    func register(_ routes: inout Routes<Self>) {
        routes.blockAction(Self.refresh, use: Alpha.refreshed)
        routes.viewSubmission(Self.form, use: Alpha.submitted)
    }

    func refreshed(_ action: BlockAction, _ context: PluginContext) async throws -> Reply { .ephemeral("alpha refreshed \(action.value ?? "")") }
    func submitted(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply { .ack }
}

private struct Beta: StatelessPlugin {
    static let id = "beta"
    static let refresh = ActionKey<Beta>("refresh")
    static let form = CallbackKey<Beta>("form")

    func register(_ routes: inout Routes<Self>) {
        routes.blockAction(Self.refresh, use: Beta.refreshed)
        routes.viewSubmission(Self.form, use: Beta.submitted)
    }

    func refreshed(_ action: BlockAction, _ context: PluginContext) async throws -> Reply { .ephemeral("beta refreshed") }
    func submitted(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply { .ack }
}

@Suite("Plugin keys: ids namespaced by the host")
struct PluginKeyTests {
    @Test func aWireIdIsThePluginIdDotTheDeclaredName() {
        #expect(Alpha.refresh.name == "refresh")
        #expect(Alpha.refresh.wire == "alpha.refresh")
        #expect(Beta.form.wire == "beta.form")
        #expect(ActionKey<Alpha>("assign").appending("commander").wire == "alpha.assign.commander")
        #expect(CallbackKey<Alpha>.unprefixed("declare").wire == "declare", "a legacy id keeps its exact wire string")
    }

    @Test func theSameNameInTwoPluginsDoesNotCollide() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  alpha: { enabled: true }\n  beta: { enabled: true }\n", environment: [:], available: [Alpha.self, Beta.self])
        let registry = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
        #expect(registry.route(.blockAction, "alpha.refresh")?.plugin == "alpha")
        #expect(registry.route(.blockAction, "beta.refresh")?.plugin == "beta")
        #expect(registry.route(.viewSubmission, "alpha.form")?.plugin == "alpha")
        #expect(registry.route(.viewSubmission, "beta.form")?.plugin == "beta")
        #expect(registry.route(.blockAction, "refresh") == nil, "nothing answers the unprefixed name")
    }

    @Test func theButtonTheBuilderWritesIsTheOneTheRouteAnswers() async throws {
        let configuration = try ConfigurationLoader.load(
            yaml: "plugins:\n  alpha: { enabled: true }\n  beta: { enabled: true }\n", environment: [:], available: [Alpha.self, Beta.self])
        let registry = try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
        guard case .actions(let elements, _) = try #require(Alpha.panel.blocks.first), let button = elements.first else {
            Issue.record("the panel has no button")
            return
        }
        let route = try #require(registry.route(.blockAction, button.actionID))
        let click = BlockAction(actionID: button.actionID, value: "a", userID: "U1", teamID: "T1")
        let reply = try await route(click) as? Reply
        #expect(reply?.text == "alpha refreshed a")
    }
}
