import CasebookKit
import Synchronization

/// Routes every delivery, from either transport, through the middleware chain to the plugin that
/// registered it, and answers within the ack budget.
///
/// Socket Mode runs handlers on the envelope's own task (plugin code on Swift's global pool, see
/// ``PluginExecutor``) and acks through the socket; HTTP
/// deliveries run as children of this service's task group, because the HTTP response must go
/// back at the budget while a slow handler keeps running. Either way a handler slower than the
/// budget is acked empty at the deadline and delivers its reply via `response_url`. On graceful
/// shutdown the dispatcher stops taking HTTP deliveries and lets in-flight handlers finish.
public final class Dispatcher: InboundHandling, InboundResponding, Service {
    public typealias Work = @Sendable () async -> Void

    let registry: PluginRegistry
    let slashCommand: String
    let middlewares: [any DispatchMiddleware]
    let delivery: ReplyDelivery
    let ackBudget: Duration
    let logger: Logger
    /// `/case help`, built once: the registrations do not change while the host runs.
    let help: String
    private let work: AsyncStream<Work>
    private let intake: AsyncStream<Work>.Continuation
    private let deadlines = AckDeadlines()

    /// - Parameters:
    ///   - slack: the host's own Web API client (views.open, ephemeral messages, DMs).
    ///   - ackBudget: how long to wait for a handler before acking without its reply (Slack allows 3 s).
    ///   - appName: the title of the modal that answers where there is no channel.
    public init(
        registry: PluginRegistry, slashCommand: String, middlewares: [any DispatchMiddleware], slack: any SlackAPI,
        responder: any ResponseURLPosting, ackBudget: Duration = .milliseconds(2000), appName: String = "Casebook", logger: Logger
    ) {
        self.registry = registry
        self.slashCommand = slashCommand
        self.middlewares = middlewares
        self.delivery = ReplyDelivery(slack: slack, responder: responder, logger: logger, noticeTitle: appName)
        self.ackBudget = ackBudget
        self.logger = logger
        self.help = registry.help(slashCommand: slashCommand)
        (work, intake) = AsyncStream.makeStream(of: Work.self)
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { service in
                // The sweeper outlives intake: handlers still running after shutdown began may
                // still have an ack deadline to meet.
                service.addTask { [deadlines] in await deadlines.run() }
                await withDiscardingTaskGroup { group in
                    for await item in work {
                        group.addTask { await item() }
                    }
                }
                service.cancelAll()
            }
        } onGracefulShutdown: { [intake] in
            intake.finish()
        }
    }

    /// Runs in a new ``TraceContext`` per delivery: its correlation id is in every log line of
    /// the invocation, in the jobs it queues and in their integration calls.
    public func handle(_ inbound: Inbound, ack: Acknowledgement) async {
        await TraceContext.$current.withValue(TraceContext.current?.child() ?? .start()) {
            await dispatch(inbound, ack: ack)
        }
    }

    private func dispatch(_ inbound: Inbound, ack: Acknowledgement) async {
        guard let invocation = Invocation.parse(inbound, slashCommand: slashCommand) else {
            logger.debug("ignoring a delivery Casebook does not handle", metadata: ["kind": "\(inbound.kind.rawValue)"])
            await ack.send(nil)
            return
        }
        let handoff = ReplyHandoff(onExpiry: ack.sendEmptyNow)
        deadlines.watch(handoff, until: inbound.receivedAt + ackBudget)
        let reply = await InvocationFacts.$ackDeadline.withValue(inbound.receivedAt + ackBudget) { await execute(invocation) }
        let carried = ReplyDelivery.ackCarries(reply, invocation)
        if handoff.offer() {
            await ack.send(carried ? ReplyDelivery.ackBody(for: reply, to: invocation, noticeTitle: delivery.noticeTitle) : nil)
            if carried { return }
        } else {
            logger.notice("handler exceeded the ack budget; acked first, the reply follows", metadata: ["invocation": "\(invocation.label)"])
        }
        await delivery.deliver(reply, to: invocation)
    }

    public func respond(to inbound: Inbound) async -> JSONValue? {
        await withCheckedContinuation { continuation in
            let answer = ResumeOnce(continuation)
            let accepted = intake.yield { [self] in
                await handle(inbound, ack: Acknowledgement(send: { answer.resume($0) }, sendEmptyNow: { answer.resume(nil) }))
            }
            if case .terminated = accepted {
                answer.resume(
                    inbound.kind == .slashCommand
                        ? ReplyDelivery.messageBody(Message("Casebook is restarting — please try again in a moment."), responseType: "ephemeral")
                        : nil
                )
            }
        }
    }

    /// Runs the middleware chain and the route; every failure becomes a reply the user can read.
    func execute(_ invocation: Invocation) async -> Reply {
        do {
            let reply = try await middlewares.run(invocation) { [self] invocation in
                try await PluginExecutor.run(invocation) { try await route(invocation) }
            }
            // Checked once, here, whichever way the reply then travels (ack, response_url, views.*).
            try reply.validate()
            return reply
        } catch let error as UserFacingError {
            return .ephemeral(error.message)
        } catch {
            let reference = Self.correlationID()
            logger.error("handler failed", metadata: ["invocation": "\(invocation.label)", "ref": "\(reference)", "error": "\(error)"])
            return .ephemeral("Something went wrong with that (ref `\(reference)`). The details are in Casebook's log.")
        }
    }

    /// Finds the invocation's routes with one lookup in the registry's table and runs them: the
    /// one route of a command, shortcut, action or view, or every plugin's route for an event.
    func route(_ invocation: Invocation) async throws -> Reply {
        let routing = invocation.routing
        if invocation.isAnsweredByHost {
            return .ephemeral(help)
        }
        let routes = registry.routes(routing.kind, routing.id)
        guard let first = routes.first else { return try unrouted(routing) }
        guard routing.kind.conflictLabel == nil else {
            return try await first(routing.input, context(for: first, invocation)) as? Reply ?? .ack
        }
        await withDiscardingTaskGroup { group in
            for route in routes {
                group.addTask { [self] in
                    do {
                        _ = try await route(routing.input, context(for: route, invocation))
                    } catch {
                        let reference = Self.correlationID()
                        logger.error("\(routing.kind.rawValue) handler failed", metadata: [
                            "plugin": "\(route.plugin)", "\(routing.kind.rawValue)": "\(routing.id)", "ref": "\(reference)", "error": "\(error)",
                        ])
                    }
                }
            }
        }
        return .ack
    }

    /// The answer when no plugin registered the invocation's route.
    func unrouted(_ routing: Invocation.Routing) throws -> Reply {
        switch routing.kind {
        case .command:
            return .ephemeral("Unknown subcommand `\(routing.id)`.\n" + help)
        case .shortcut:
            throw UserFacingError("No enabled Casebook plugin handles the shortcut `\(routing.id)`.")
        case .blockAction:
            logger.warning("no handler for action id", metadata: ["action_id": "\(routing.id)"])
            return .ack
        case .viewSubmission:
            throw UserFacingError("This form is no longer handled by Casebook.")
        default:
            return .ack
        }
    }

    /// The invocation's context: the plugin's, with the invocation in its logger metadata, and what
    /// the host learned on the way in (the user the user policy resolved, the ack deadline).
    func context(for route: MountedRoute, _ invocation: Invocation) -> InvocationContext {
        var context = route.context
        // One change to the handler's metadata, not one per key: each change copies it.
        var metadata = context.logger.handler.metadata
        metadata["invocation"] = "\(invocation.label)"
        let routing = invocation.routing
        if let user = routing.userID { metadata["user"] = "\(user)" }
        context.logger.handler.metadata = metadata
        let resolved = InvocationFacts.user.flatMap { $0.id == routing.userID ? $0 : nil }
        return InvocationContext(
            plugin: context, userID: routing.userID, user: resolved, teamID: routing.teamID,
            correlationID: TraceContext.current?.correlationID, ackDeadline: InvocationFacts.ackDeadline)
    }

    /// A short id that appears both in the user's error message and in the log line: the start of
    /// the current correlation id, so the reference a user quotes finds the whole trace.
    static func correlationID() -> String {
        if let trace = TraceContext.current { return String(trace.correlationID.prefix(8)) }
        return String(UInt32.random(in: .min ... .max), radix: 16, uppercase: false).leftPadded(to: 8)
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

/// Resumes a continuation at most once, whoever calls first.
private final class ResumeOnce<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ value: Value) {
        continuation.withLock { slot in
            defer { slot = nil }
            return slot
        }?.resume(returning: value)
    }
}
