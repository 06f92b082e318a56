import CasebookNIO
import NIOCore
import NIOWebSocket

/// One accepted Socket Mode socket, on its event loop: sends `hello` (or refuses a socket over the
/// limit), reassembles the client's messages and hands text to the ``SocketHub`` right where it is
/// read, answers pings and close frames, and pings on its own every `autoPing`.
///
/// Everything here runs on the channel's loop; tasks reach it through ``SocketPeer``.
final class SocketConnection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// How long a close handshake the server started waits for the client's close frame.
    static let closeTimeout: TimeAmount = .seconds(3)
    static let pingData = "sim-ping"

    private let hub: SocketHub
    private let debugReconnects: Bool
    private let autoPing: TimeAmount?
    private var assembler = WebSocketMessageAssembler(maxMessageSize: SocketListener.maxMessageSize)
    private var context: ChannelHandlerContext?
    private var id: Int?
    private var closeSent = false
    private var awaitingPong = false
    private var flushScheduled = false
    private var pinger: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?

    init(hub: SocketHub, debugReconnects: Bool, autoPing: TimeAmount?) {
        self.hub = hub
        self.debugReconnects = debugReconnects
        self.autoPing = autoPing
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // A client gone during the upgrade never becomes a connection.
        guard context.channel.isActive else { return }
        let peer = SocketPeer(channel: context.channel, connection: NIOLoopBound(self, eventLoop: context.eventLoop))
        guard let registration = hub.register(peer, debugReconnects: debugReconnects) else {
            // Over the limit: Slack refuses the extra socket (reference/slack.md §1.6).
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: hub.disconnectFrame(.tooManyWebsockets))), promise: nil)
            startClose(.goingAway, reason: "too_many_websockets")
            return
        }
        id = registration.id
        let hello = hub.helloFrame(numConnections: registration.count, debugReconnects: debugReconnects)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: hello)), promise: nil)
        schedulePing()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Forgets the socket: no more deliveries go to it, its timers stop.
    private func finish() {
        pinger?.cancel()
        pinger = nil
        closeTimer?.cancel()
        closeTimer = nil
        if let id {
            hub.unregister(id)
            self.id = nil
        }
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Slack judges an ack when its frame arrives, not when the delivering task next runs.
        let arrived = ContinuousClock.now
        let message: WebSocketMessageAssembler.Message?
        do {
            message = try assembler.receive(unwrapInboundIn(data))
        } catch {
            startClose(error.code, reason: error.reason)
            return
        }
        switch message {
        case nil, .binary:
            return
        case .text(let text):
            hub.receive(text, at: arrived)
        case .ping(let data):
            guard !closeSent else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: data)), promise: nil)
        case .pong:
            awaitingPong = false
        case .close(let code, _):
            if closeSent {
                // The client answered our close frame: the handshake is complete.
                context.close(promise: nil)
                return
            }
            closeSent = true
            var reply = context.channel.allocator.buffer(capacity: 2)
            if let code { reply.write(webSocketErrorCode: code) }
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)))
                .whenComplete { _ in channel.close(promise: nil) }
        }
    }

    // MARK: Writing

    /// Writes a frame from a task running on this loop; one flush covers every write of this loop turn.
    func write(_ frame: WebSocketFrame, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        context.write(wrapOutboundOut(frame), promise: promise)
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            self.context?.flush()
        }
    }

    /// Starts a close handshake; the TCP connection is closed when the client answers, or after
    /// ``closeTimeout``.
    func startClose(_ code: WebSocketErrorCode, reason: String) {
        guard let context, !closeSent else { return }
        closeSent = true
        pinger?.cancel()
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: nil)
        let channel = context.channel
        closeTimer = context.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
    }

    /// The simulator stops: a close frame, then the TCP close without waiting for the answer.
    func shutdown() {
        guard let context else { return }
        let channel = context.channel
        if closeSent {
            channel.close(promise: nil)
            return
        }
        closeSent = true
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .goingAway)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Auto ping

    /// Pings every `autoPing`; a socket that did not answer the last ping by the next one is
    /// closed (`going away`), as the WebSocket server this replaces did.
    private func schedulePing() {
        guard let autoPing, let context else { return }
        pinger = context.eventLoop.assumeIsolated().scheduleTask(in: autoPing) { [self] in
            guard let context = self.context, !closeSent else { return }
            if awaitingPong {
                startClose(.goingAway, reason: "")
                return
            }
            awaitingPong = true
            let frame = WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(string: Self.pingData))
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
            schedulePing()
        }
    }
}
