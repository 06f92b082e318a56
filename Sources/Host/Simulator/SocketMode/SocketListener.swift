import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Slack's Socket Mode host (`wss-primary.slack.com`, a different host than the Web API): its own
/// listener on 127.0.0.1, plain NIO handlers from the HTTP upgrade to the frames, so the simulator
/// spends little of the CPU it shares with the host it measures.
///
/// An upgrade of `/link…` is accepted once per ticket `apps.connections.open` issued; anything
/// else gets 403 (``LinkRefusal``).
struct SocketListener: Sendable {
    static let maxMessageSize = 1 << 22

    let channel: any Channel
    let port: Int

    static func bind(
        hub: SocketHub, store: SimulatorStore, autoPing: Duration?,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SocketListener {
        let ping = autoPing.map(TimeAmount.init)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: maxMessageSize, automaticErrorHandling: true,
                    shouldUpgrade: { channel, head in
                        channel.eventLoop.makeSucceededFuture(admits(head.uri, store: store) ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, head in
                        channel.eventLoop.makeCompletedFuture {
                            let connection = SocketConnection(hub: hub, debugReconnects: debugReconnects(head.uri), autoPing: ping)
                            try channel.pipeline.syncOperations.addHandler(connection)
                        }
                    })
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.syncOperations.removeHandler(name: LinkRefusal.name, promise: nil)
                        }))
                    try channel.pipeline.syncOperations.addHandler(LinkRefusal(), name: LinkRefusal.name)
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw SimulatorError("the Socket Mode listener has no port")
        }
        return SocketListener(channel: channel, port: port)
    }

    /// Stops accepting, then closes the open sockets.
    func stop(_ hub: SocketHub) async {
        try? await channel.close()
        await hub.closeAll()
    }

    /// A `/link` path with a ticket `apps.connections.open` issued; the ticket is used up.
    static func admits(_ uri: String, store: SimulatorStore) -> Bool {
        guard uri.hasPrefix("/link"), let ticket = query(uri)["ticket"] else { return false }
        return store.withState { $0.socketTickets.remove(ticket) != nil }
    }

    static func debugReconnects(_ uri: String) -> Bool {
        query(uri)["debug_reconnects"] == "true"
    }

    private static func query(_ uri: String) -> [String: String] {
        FormEncoding.decodeDictionary(uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
    }
}
