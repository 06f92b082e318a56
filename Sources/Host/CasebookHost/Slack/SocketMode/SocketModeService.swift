import CasebookKit
import NIOCore
import NIOPosix

/// Keeps Slack Socket Mode connections open and feeds every envelope to the dispatcher.
///
/// Each of `configuration.connections` slots runs its own loop: open a fresh URL (never reused),
/// connect, wait for `hello`, serve envelopes. When Slack announces a refresh (`warning`,
/// `refresh_requested`) the slot opens the replacement first and closes the old socket only once
/// the new one said `hello`, so no delivery falls into a gap. Errors and unexpected closes
/// reconnect with capped, jittered backoff; auth errors and `link_disabled` stop the service,
/// because retrying cannot fix them.
public final class SocketModeService: Service {
    /// Calls `apps.connections.open` with the app-level token and returns the `wss://` URL. May
    /// throw `SlackAPIError`; auth codes (`invalid_auth`, `token_revoked`, …) stop the service.
    public typealias URLOpener = @Sendable () async throws -> String

    private let openURL: URLOpener
    private let handler: any InboundHandling
    private let dedupe: any DeliveryDedupe
    private let configuration: SocketModeConfiguration
    private let metrics: SlackTransportMetrics
    private let logger: Logger
    private let pause: @Sendable (Duration) async throws -> Void
    private let registry = SocketRegistry()
    /// Envelope ids seen by any of this service's sockets. Only Events API envelopes are ever
    /// redelivered after a restart, and those are deduplicated durably by `event_id`; an envelope id
    /// repeats only within a process's lifetime, so memory is the right place for it.
    private let recentEnvelopes = InMemoryDeliveryDedupe(ttl: .seconds(600))

    /// - Parameters:
    ///   - openURL: opens a new Socket Mode URL; called before every connect.
    ///   - handler: the dispatcher.
    ///   - dedupe: shared with the HTTP transport; remembers Events API `event_id`s (durably in `serve`).
    ///   - pause: how the service waits between attempts (tests record the requested delays).
    public init(
        openURL: @escaping URLOpener,
        handler: any InboundHandling,
        dedupe: any DeliveryDedupe = InMemoryDeliveryDedupe(),
        configuration: SocketModeConfiguration = SocketModeConfiguration(),
        metrics: SlackTransportMetrics = SlackTransportMetrics(),
        logger: Logger = Logger(label: "casebook.slack.socket-mode"),
        pause: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.openURL = openURL
        self.handler = handler
        self.dedupe = dedupe
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.pause = pause
    }

    /// True while at least one socket has said `hello` and is still open (for `/readyz`).
    public var isConnected: Bool { registry.readyCount > 0 }

    /// Sockets that said `hello` and are still open.
    public var connectedSockets: Int { registry.readyCount }

    public func run() async throws {
        guard !Task.isShuttingDownGracefully else { return }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slot in 0..<configuration.connections {
                    group.addTask { try await self.runSlot(slot) }
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            // Stop taking envelopes and close every socket once its in-flight acks are written.
            for control in self.registry.beginShutdown() { control.requestClose() }
        }
        logger.info("Socket Mode stopped")
    }

    private var stopping: Bool { registry.isShuttingDown || Task.isCancelled || Task.isShuttingDownGracefully }

    /// One slot: a succession of sockets, each replacing the one before.
    private func runSlot(_ slot: Int) async throws {
        var logger = self.logger
        logger[metadataKey: "slack.slot"] = "\(slot)"
        let (events, sink) = AsyncStream.makeStream(of: SocketEvent.self)
        defer { sink.finish() }
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        let eventLoop = loops[slot % loops.count]

        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = events.makeAsyncIterator()
            var failures = 0
            var delay: Duration?
            /// Sockets being replaced: closed once their successor says hello.
            var replaced: [Int: SocketControl] = [:]
            defer { for control in replaced.values { control.requestClose() } }

            connect: while true {
                if let wait = delay {
                    delay = nil
                    guard await pauseUnlessStopping(wait) else { break connect }
                }
                if stopping { break connect }

                let url: String
                do {
                    url = try await cancelWhenGracefulShutdown { try await self.openURL() }
                } catch let error as SlackAPIError where SocketModeError.unrecoverableOpenCodes.contains(error.code) {
                    let stop = SocketModeError.unrecoverableAuth(code: error.code)
                    logger.error("\(stop)")
                    throw stop
                } catch let error as SlackAPIError where error.code == "ratelimited" || error.code == "rate_limited" {
                    if stopping { break connect }
                    logger.warning("apps.connections.open is rate limited; waiting \(configuration.rateLimitedDelay)")
                    delay = configuration.rateLimitedDelay
                    continue connect
                } catch {
                    if stopping { break connect }
                    failures += 1
                    delay = configuration.reconnectBackoff.delay(afterFailures: failures)
                    logger.warning("apps.connections.open failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay ?? .zero)"])
                    continue connect
                }

                guard let control = registry.register() else { break connect }
                let connection = SocketConnection(
                    control: control, url: withDebugFlag(url), configuration: configuration, handler: handler,
                    recentEnvelopes: recentEnvelopes, dedupe: dedupe, metrics: metrics, registry: registry, events: sink,
                    eventLoop: eventLoop, logger: logger
                )
                group.addTask { await connection.run() }
                /// Set when Slack called this socket surplus (`too_many_websockets`).
                var surplus = false

                // Follow this socket until it has to be replaced.
                while let event = await iterator.next() {
                    switch event {
                    case .hello(let id):
                        guard id == control.id else { continue }
                        failures = 0
                        // The replacement is up: the old sockets finish what reaches them, then close.
                        for old in replaced.values { old.requestClose(admitting: true) }
                    case .disconnect(let id, let reason):
                        guard id == control.id else { continue }
                        metrics.reconnect(reason: reason.isEmpty ? "unknown" : reason)
                        switch reason {
                        case "link_disabled":
                            logger.error("\(SocketModeError.linkDisabled)")
                            control.requestClose()
                            throw SocketModeError.linkDisabled
                        case "too_many_websockets":
                            // Close this surplus socket, and only once it is gone (its `.ended`
                            // below) back off and open another, never in a tight loop.
                            surplus = true
                            control.requestClose()
                        default:
                            // warning, refresh_requested (and anything new): replacement first.
                            replaced[id] = control
                            continue connect
                        }
                    case .ended(let id, let error):
                        replaced[id] = nil
                        guard id == control.id else { continue }
                        if stopping { break connect }
                        failures += 1
                        if surplus {
                            delay = max(configuration.tooManyWebsocketsDelay, configuration.reconnectBackoff.delay(afterFailures: failures))
                            logger.warning("Slack reports too many websockets; backing off", metadata: ["retry_in": "\(delay ?? .zero)"])
                            continue connect
                        }
                        let reason = control.helloTimedOut ? "hello_timeout" : (error == nil ? "closed" : "error")
                        metrics.reconnect(reason: reason)
                        delay = configuration.reconnectBackoff.delay(afterFailures: failures)
                        logger.warning(
                            "Socket Mode connection ended; reconnecting",
                            metadata: ["reason": "\(reason)", "error": "\(error.map { "\($0)" } ?? "none")", "retry_in": "\(delay ?? .zero)"]
                        )
                        continue connect
                    }
                }
                break connect
            }
        }
    }

    /// Sleeps unless shutdown starts first; false when the slot should stop.
    private func pauseUnlessStopping(_ duration: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await self.pause(duration) }
        } catch {
            return false
        }
        return !stopping
    }

    private func withDebugFlag(_ url: String) -> String {
        guard configuration.debugReconnects else { return url }
        return url + (url.contains("?") ? "&" : "?") + "debug_reconnects=true"
    }
}
