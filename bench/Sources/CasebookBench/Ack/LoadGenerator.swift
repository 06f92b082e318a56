import CasebookKit
import CasebookNIO
import NIOCore
import NIOPosix

/// Slack's Socket Mode side of the ack benchmark at next to no CPU: a WebSocket server on plain
/// NIO that accepts the host's `/link` sockets (the simulator hands out their URLs, see
/// `SlackSimulator.handOutSockets(at:)`), says `hello`, and drives a closed loop of pre-encoded
/// `slash_commands` envelopes entirely on one event loop.
///
/// In production Slack is another machine; the faithful simulator costs about half the host's CPU
/// per ack on the same cores, so it would measure the two together. Nothing here checks tickets.
final class LoadGenerator: Sendable {
    static let maxMessageSize = 1 << 22

    let port: Int
    private let loop: any EventLoop
    private let channel: any NIOCore.Channel
    private let sockets: NIOLoopBound<LoadSockets>
    private let template: EnvelopeTemplate
    private let accepts: @Sendable (JSONValue?) -> Bool

    private init(
        port: Int, loop: any EventLoop, channel: any NIOCore.Channel, sockets: NIOLoopBound<LoadSockets>, template: EnvelopeTemplate,
        accepts: @escaping @Sendable (JSONValue?) -> Bool
    ) {
        self.port = port
        self.loop = loop
        self.channel = channel
        self.sockets = sockets
        self.template = template
        self.accepts = accepts
    }

    /// Listens on 127.0.0.1 (port 0) on one loop of `group`; every envelope carries `payload`
    /// and a correct ack's `payload` satisfies `accepts`.
    static func bind(
        payload: JSONValue, accepts: @escaping @Sendable (JSONValue?) -> Bool,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LoadGenerator {
        let template = try EnvelopeTemplate(payload: payload)
        // One loop for the server and every socket, so the run's state needs no locks.
        let loop = group.next()
        let sockets = try await loop.submit { NIOLoopBound(LoadSockets(), eventLoop: loop) }.get()
        let listener = try await WebSocketListener.bind(
            group: loop, maxFrameSize: maxMessageSize, refusal: "not a Socket Mode link",
            admits: { $0.hasPrefix("/link") },
            connect: { channel, uri in
                try channel.pipeline.syncOperations.addHandler(LoadSocket(sockets: sockets.value, appID: appID(uri)))
            })
        let (port, channel) = (listener.port, listener.channel)
        return LoadGenerator(port: port, loop: loop, channel: channel, sockets: sockets, template: template, accepts: accepts)
    }

    /// `ws://127.0.0.1:PORT`, for `SlackSimulator.handOutSockets(at:)`.
    var baseURL: String { "ws://127.0.0.1:\(port)" }

    /// Sockets that were sent `hello` and are still open.
    var openSockets: Int {
        get async throws { try await loop.submit { [sockets] in sockets.value.open.count }.get() }
    }

    /// Waits until `count` sockets said hello.
    func waitForSockets(_ count: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await openSockets < count {
            guard ContinuousClock.now < deadline else { throw BenchError("the host opened fewer than \(count) sockets within \(timeout)") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Sends `commands` envelopes with `inFlight` outstanding at a time and measures each ack.
    func run(inFlight: Int, commands: Int) async throws -> LoadOutcome {
        let promise = loop.makePromise(of: LoadOutcome.self)
        loop.execute { [sockets, template, accepts, loop] in
            sockets.value.start(
                inFlight: inFlight, commands: commands, template: template, accepts: accepts, loop: loop, promise: promise)
        }
        return try await promise.futureResult.get()
    }

    /// Stops accepting and closes the open sockets.
    func stop() async {
        try? await loop.submit { [sockets] in sockets.value.closeAll() }.get()
        try? await channel.close()
    }

    /// The `app_id` query parameter `apps.connections.open` put in the URL, for `hello`.
    private static func appID(_ uri: String) -> String {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return "" }
        for pair in query.split(separator: "&") where pair.hasPrefix("app_id=") {
            return String(pair.dropFirst("app_id=".count))
        }
        return ""
    }
}
