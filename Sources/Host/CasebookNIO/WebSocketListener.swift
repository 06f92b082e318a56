import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A WebSocket server on 127.0.0.1 made of plain NIO handlers, from the HTTP/1.1 upgrade to the
/// frames: the simulator's Socket Mode host and the benchmark's load generator both stand in for
/// Slack's `wss-primary.slack.com` with it. A request `admits` turns down, or any request that is
/// not an upgrade, is answered 403 with `refusal` and closed.
public struct WebSocketListener: Sendable {
    public let channel: any Channel
    public let port: Int

    /// - Parameters:
    ///   - admits: called on the loop with the request URI; true upgrades it.
    ///   - connect: adds the connection's handler to an upgraded channel (URI included).
    public static func bind(
        group: any EventLoopGroup, maxFrameSize: Int, refusal: String,
        admits: @escaping @Sendable (String) -> Bool,
        connect: @escaping @Sendable (any Channel, String) throws -> Void
    ) async throws -> WebSocketListener {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: maxFrameSize, automaticErrorHandling: true,
                    shouldUpgrade: { channel, head in
                        channel.eventLoop.makeSucceededFuture(admits(head.uri) ? HTTPHeaders() : nil)
                    },
                    upgradePipelineHandler: { channel, head in
                        channel.eventLoop.makeCompletedFuture { try connect(channel, head.uri) }
                    })
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.syncOperations.removeHandler(name: UpgradeRefusal.name, promise: nil)
                        }))
                    try channel.pipeline.syncOperations.addHandler(UpgradeRefusal(message: refusal), name: UpgradeRefusal.name)
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ListenerError()
        }
        return WebSocketListener(channel: channel, port: port)
    }

    /// Stops accepting connections; open ones stay.
    public func close() async {
        try? await channel.close()
    }

    public struct ListenerError: Error, CustomStringConvertible {
        public var description: String { "the WebSocket listener has no port" }
    }
}

/// Answers every HTTP request that did not become a WebSocket: 403 with the message, then closes
/// (Slack refuses a reused or unknown ticket that way). An accepted upgrade removes it.
final class UpgradeRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let name = "upgrade-refusal"
    let message: String

    init(message: String) {
        self.message = message
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var head = HTTPResponseHead(version: .http1_1, status: .forbidden)
        head.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        head.headers.add(name: "Content-Length", value: String(message.utf8.count))
        head.headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: message)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
