@testable import CasebookHost
import CasebookStore
import CasebookKit
import Synchronization
import Testing

/// Claims `go` as a subcommand and as an action, a job `tick` and a webhook: the same ids as
/// ``OtherKinds`` under other kinds, or plugin-scoped, so none of them clash.
private struct RouteOwner: StatelessPlugin {
    static let id = "owner"
    func register(_ routes: inout Routes<Self>) {
        routes.command("go", help: "go", use: RouteOwner.go)
        routes.blockAction("go", use: RouteOwner.pressed)
        routes.job(JobKey<Int>("tick"), use: RouteOwner.tick)
        routes.webhook(.post, "hook", use: RouteOwner.hook)
        routes.group(RouteGuard(refusing: "Not for you.") { _, context in context.userID != "UOUT" }) { routes in
            routes.command("whoami", help: "who the host says you are", use: RouteOwner.whoami)
            routes.event("app_mention", use: RouteOwner.mentioned)
        }
    }

    func go(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply { .ephemeral("command go") }
    func pressed(_ action: BlockAction, _ context: PluginContext) async throws -> Reply { .ephemeral("action go") }
    func tick(_ count: Int, _ context: PluginContext) async throws {}
    func hook(_ request: WebhookRequest, _ context: PluginContext) async throws -> WebhookResponse { .json(["ok": true]) }

    /// What the host learned on the way in, as the handler sees it.
    func whoami(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply {
        let deadline = context.ackDeadline.map { _ in "deadline" } ?? "no deadline"
        let trace = context.correlationID == nil ? "no trace" : "trace"
        return .ephemeral("\(context.user?.name ?? "unresolved") \(context.teamID) \(deadline) \(trace) \(context.pluginID)")
    }

    func mentioned(_ event: SlackEvent, _ context: InvocationContext) async throws {
        RouteTableTests.mentions.withLock { $0.append(event.userID ?? "") }
    }
}

private struct OtherKinds: StatelessPlugin {
    static let id = "other"
    func register(_ routes: inout Routes<Self>) {
        routes.viewSubmission("go") { _, _, _ in .ack }
        routes.job(JobKey<Int>("tick")) { _, _, _ in }
        routes.webhook(.post, "hook") { _, _, _ in .json([:]) }
    }
}

/// Takes the action id `go` that ``RouteOwner`` has, and names one recurring job twice.
private struct Clashing: StatelessPlugin {
    static let id = "clashing"
    func register(_ routes: inout Routes<Self>) {
        routes.blockAction("go") { _, _, _ in .ack }
        routes.every(.seconds(60), "sweep") { _, _, _ in }
        routes.every(.seconds(60), "sweep") { _, _, _ in }
    }
}

/// `users.info` for anyone, counted.
final class CountingDirectorySlack: SlackAPI {
    let lookups = Mutex(0)
    func call(_ method: String, _ arguments: [String: JSONValue]) async throws -> JSONValue {
        guard method == "users.info", let id = arguments["user"]?.string else { throw SlackAPIError(method: method, code: "unknown_method") }
        lookups.withLock { $0 += 1 }
        return ["user": ["id": .string(id), "team_id": "T1", "name": .string("name-of-\(id)")]]
    }
}

private struct NoResponseURL: ResponseURLPosting {
    func post(_ url: String, body: JSONValue) async throws {}
}

@Suite("Route table", .serialized)
struct RouteTableTests {
    static let mentions = Mutex<[String]>([])

    static func registry(_ ids: [String], _ types: [any Plugin.Type]) async throws -> PluginRegistry {
        let yaml = "plugins:\n" + ids.map { "  \($0): { enabled: true }\n" }.joined()
        let configuration = try ConfigurationLoader.load(yaml: yaml, environment: [:], available: types)
        return try await OfflineRegistry.mount(configuration, logger: Logger(label: "test"))
    }

    static func dispatcher(_ registry: PluginRegistry, policy slack: CountingDirectorySlack? = nil) -> Dispatcher {
        let installation = Installation(teamID: "T1", botUserID: "UBOT")
        let middlewares: [any DispatchMiddleware] = slack.map {
            [UserPolicy(installation: installation, refuseExternal: true, refuseGuests: false, directory: UserDirectory(slack: $0))]
        } ?? []
        return Dispatcher(
            registry: registry, slashCommand: "/case", middlewares: middlewares, slack: OfflineSlack(), responder: NoResponseURL(),
            logger: Logger(label: "test"))
    }

    static func command(_ subcommand: String, user: String = "U1") -> Invocation {
        .command(SlashCommand(command: "/case", subcommand: subcommand, arguments: "", userID: user, teamID: "T1", channelID: "C1"))
    }

    @Test("The same id under different kinds, or a plugin's own job and webhook names, do not clash")
    func kindAndIDTogetherAreTheKey() async throws {
        let registry = try await Self.registry(["owner", "other"], [RouteOwner.self, OtherKinds.self])
        #expect(registry.routes(.command, "go").map(\.plugin) == ["owner"])
        #expect(registry.routes(.blockAction, "go").map(\.plugin) == ["owner"])
        #expect(registry.routes(.viewSubmission, "go").map(\.plugin) == ["other"])
        #expect(registry.route(.job, "tick", plugin: "owner")?.plugin == "owner")
        #expect(registry.route(.job, "tick", plugin: "other")?.plugin == "other")
        #expect(registry.route(.webhook, "POST hook", plugin: "other")?.plugin == "other")
        #expect(CasebookApp.jobHandlers(registry).jobs.mapValues { Set($0.keys) } == ["owner": ["tick"], "other": ["tick"]])
    }

    @Test("The same kind and id twice is a start-up error naming both owners, within one plugin too")
    func sameKindAndIDClash() async throws {
        do {
            _ = try await Self.registry(["owner", "clashing"], [RouteOwner.self, Clashing.self])
            Issue.record("mounting clashing routes succeeded")
        } catch let error as RegistryError {
            #expect(error.problems.contains("action id 'go' is registered by both 'owner' and 'clashing'"))
            #expect(error.problems.contains("recurring job 'clashing.sweep' is registered by both 'clashing' and 'clashing'"))
            #expect(error.problems.count == 2)
        }
    }

    @Test("A delivery is routed by its kind and id to the one route registered for them")
    func dispatchFindsTheRouteOfTheKind() async throws {
        let registry = try await Self.registry(["owner", "other"], [RouteOwner.self, OtherKinds.self])
        let dispatcher = Self.dispatcher(registry)
        #expect(await dispatcher.execute(Self.command("go")) == .ephemeral("command go"))
        let action = BlockAction(actionID: "go", blockID: nil, value: nil, selectedUser: nil, userID: "U1", teamID: "T1", triggerID: nil, responseURL: nil)
        #expect(await dispatcher.execute(.blockAction(action)) == .ephemeral("action go"))
        let unknown = await dispatcher.execute(Self.command("nope"))
        #expect(unknown.text?.hasPrefix("Unknown subcommand `nope`.") == true)
    }

    @Test("A plugin's route group middleware refuses: the user reads why, an event is dropped without its handler")
    func pluginMiddlewareRefuses() async throws {
        let registry = try await Self.registry(["owner"], [RouteOwner.self])
        let dispatcher = Self.dispatcher(registry)
        #expect(await dispatcher.execute(Self.command("whoami", user: "UOUT")) == .ephemeral("Not for you."))
        // Routes outside the group are not guarded.
        #expect(await dispatcher.execute(Self.command("go", user: "UOUT")) == .ephemeral("command go"))
        Self.mentions.withLock { $0 = [] }
        for user in ["UOUT", "U1"] {
            let event = SlackEvent(type: "app_mention", eventID: "E-\(user)", teamID: "T1", payload: ["type": "app_mention", "user": .string(user)])
            #expect(await dispatcher.execute(.event(event)) == .ack)
        }
        #expect(Self.mentions.withLock { $0 } == ["U1"])
    }

    @Test("The handler's context carries the user the user policy resolved, the team, the trace and the ack deadline")
    func resolvedUserReachesTheHandler() async throws {
        let registry = try await Self.registry(["owner"], [RouteOwner.self])
        let slack = CountingDirectorySlack()
        let dispatcher = Self.dispatcher(registry, policy: slack)
        let acked = Mutex<JSONValue?>(nil)
        let inbound = Inbound(kind: .slashCommand, payload: [
            "command": "/case", "text": "whoami", "user_id": "U7", "team_id": "T1", "channel_id": "C1",
        ], deliveryID: "d1")
        await dispatcher.handle(inbound, ack: Acknowledgement(send: { body in acked.withLock { $0 = body } }, sendEmptyNow: {}))
        #expect(acked.withLock { $0 }?["text"]?.string == "name-of-U7 T1 deadline trace owner")
        // The policy's look-up was the only one: the handler did not fetch the user again.
        #expect(slack.lookups.withLock { $0 } == 1)
        // Without a policy that looks the user up, the context says so and the handler can still ask.
        #expect(await Self.dispatcher(registry).execute(Self.command("whoami", user: "U7")).text?.hasPrefix("unresolved T1") == true)
    }
}
