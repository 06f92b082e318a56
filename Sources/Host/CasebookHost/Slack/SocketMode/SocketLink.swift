import CasebookKit
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// An open Socket Mode WebSocket as its tasks see it: the messages Slack sends, already parsed,
/// and the two things a task does to the socket, ack and close. Sendable; every call lands on the
/// channel's event loop (directly when the caller already runs there, as envelope tasks do).
struct SocketLink: Sendable {
    /// Slack's messages in arrival order. Finishes when the connection closes, throwing when it
    /// ended badly (unanswered ping, protocol violation, I/O error).
    let messages: AsyncThrowingStream<ReceivedSocketModeMessage, any Error>
    private let channel: any NIOCore.Channel
    private let handler: NIOLoopBound<SocketModeChannelHandler>

    /// Writes one text message; `completion` runs on the event loop once it is written (or failed).
    func send(_ bytes: [UInt8], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let eventLoop = channel.eventLoop
        if eventLoop.inEventLoop {
            let promise = eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenComplete(completion)
            handler.value.sendText(bytes, promise: promise)
        } else {
            let handler = self.handler
            eventLoop.execute {
                let promise = eventLoop.makePromise(of: Void.self)
                promise.futureResult.whenComplete(completion)
                handler.value.sendText(bytes, promise: promise)
            }
        }
    }

    /// Starts the close handshake (see `SocketModeChannelHandler.close(code:)`); idempotent.
    func close(_ code: WebSocketErrorCode) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.close(code: code) }
    }
}

extension SocketLink {
    private enum Upgrade: Sendable {
        case upgraded(SocketLink)
        case declined
    }

    /// Trust roots and TLS settings are loaded once per process, not per connection.
    private static let clientTLS: Result<NIOSSLContext, any Error> = Result {
        try NIOSSLContext(configuration: tlsConfiguration(trusting: []))
    }

    /// The shared context, or (tests only) one that also trusts `extraRoots`.
    private static func tlsContext(trusting extraRoots: [NIOSSLCertificate]) throws -> NIOSSLContext {
        guard !extraRoots.isEmpty else { return try clientTLS.get() }
        return try NIOSSLContext(configuration: tlsConfiguration(trusting: extraRoots))
    }

    /// The system's roots with full verification, and nothing older than TLS 1.2 (Slack's floor).
    private static func tlsConfiguration(trusting extraRoots: [NIOSSLCertificate]) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if !extraRoots.isEmpty { configuration.additionalTrustRoots = [.certificates(extraRoots)] }
        return configuration
    }

    /// Connects to a `ws://` or `wss://` URL on `eventLoop` and upgrades to WebSocket. Throws when
    /// the URL is malformed, the connection fails, the server declines the upgrade, or the
    /// upgrade does not finish within `configuration.helloTimeout`.
    static func connect(to url: String, configuration: SocketModeConfiguration, eventLoop: any EventLoop) async throws -> SocketLink {
        let target = try WebSocketURL(url)
        let tls = target.usesTLS ? try tlsContext(trusting: configuration.additionalTrustRoots) : nil
        let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configurePipeline(channel, target: target, tls: tls, configuration: configuration)
                }
            }
        switch try await upgrade.get() {
        case .upgraded(let link): return link
        case .declined: throw SocketLinkError.upgradeDeclined(host: target.hostHeader)
        }
    }

    /// TLS (when `wss`), then the HTTP/1.1 upgrade; once upgraded, the frame codec (installed by
    /// `NIOTypedWebSocketClientUpgrader`) and the Socket Mode handler.
    private static func configurePipeline(
        _ channel: any NIOCore.Channel, target: WebSocketURL, tls: NIOSSLContext?, configuration: SocketModeConfiguration
    ) throws -> EventLoopFuture<Upgrade> {
        let sync = channel.pipeline.syncOperations
        if let tls {
            try sync.addHandler(NIOSSLClientHandler(context: tls, serverHostname: target.serverName))
        }
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: configuration.maxMessageSize) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                let (messages, sink) = AsyncThrowingStream.makeStream(of: ReceivedSocketModeMessage.self)
                // A reader that stops listening (its task was cancelled) takes the socket down with it.
                sink.onTermination = { _ in channel.close(promise: nil) }
                let handler = SocketModeChannelHandler(
                    maxMessageSize: configuration.maxMessageSize, pingInterval: configuration.pingInterval,
                    closeTimeout: configuration.closeTimeout, messages: sink
                )
                try channel.pipeline.syncOperations.addHandler(handler)
                return .upgraded(SocketLink(messages: messages, channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop)))
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.target, headers: headers)
        var pipeline = NIOUpgradableHTTPClientPipelineConfiguration(
            upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                upgradeRequestHead: request,
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededFuture(.declined)
                }
            )
        )
        // Slack may send `hello` in the same read as the 101 response: those bytes belong to the
        // WebSocket decoder, not to HTTP.
        pipeline.leftOverBytesStrategy = .forwardBytes
        let upgraded = try sync.configureUpgradableHTTPClientPipeline(configuration: pipeline)
        // A server that accepts the connection but never answers the upgrade must not hold the slot.
        let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.helloTimeout)) { channel.close(promise: nil) }
        upgraded.whenComplete { _ in timeout.cancel() }
        return upgraded
    }
}
