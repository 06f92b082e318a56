import CasebookKit
import CasebookNIO
import NIOCore
import NIOWebSocket

/// One accepted Socket Mode socket of the ``LoadGenerator``: sends Slack's `hello`, hands text
/// frames (acks) to the run in progress as they are read, answers pings and close frames, and
/// flushes what the run wrote once per read batch.
final class LoadSocket: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let sockets: LoadSockets
    private let appID: String
    private var assembler = WebSocketMessageAssembler(maxMessageSize: LoadGenerator.maxMessageSize)
    private var context: ChannelHandlerContext?
    private var needsFlush = false
    private var closeSent = false
    private var registered = false

    init(sockets: LoadSockets, appID: String) {
        self.sockets = sockets
        self.appID = appID
    }

    var isOpen: Bool { context != nil && !closeSent }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        guard context.channel.isActive else { return }
        registered = true
        let count = sockets.added(self)
        context.writeAndFlush(wrapOutboundOut(text(Self.hello(numConnections: count, appID: appID), context)), promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        forget()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        forget()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func forget() {
        guard registered else { return }
        registered = false
        sockets.removed(self)
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now().uptimeNanoseconds
        let message: WebSocketMessageAssembler.Message?
        do {
            message = try assembler.receive(unwrapInboundIn(data))
        } catch {
            var reason = context.channel.allocator.buffer(capacity: 2)
            reason.write(webSocketErrorCode: error.code)
            sendClose(reason, context: context)
            return
        }
        switch message {
        case nil, .binary, .pong:
            return
        case .text(let frame):
            sockets.run?.received(frame, on: self, at: now)
        case .ping(let data):
            guard !closeSent else { return }
            context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: data)), promise: nil)
            needsFlush = true
        case .close(let code, _):
            guard !closeSent else {
                // The answer to our close frame: the handshake is complete.
                context.close(promise: nil)
                return
            }
            var reply = context.channel.allocator.buffer(capacity: 2)
            if let code { reply.write(webSocketErrorCode: code) }
            sendClose(reply, context: context)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    // MARK: Writing

    /// Writes an envelope; ``flush()`` sends it (at the end of the read batch, or after a burst).
    func send(_ envelope: ByteBuffer) {
        guard let context, !closeSent else { return }
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: envelope)), promise: nil)
        needsFlush = true
    }

    func flush() {
        guard needsFlush else { return }
        needsFlush = false
        context?.flush()
    }

    /// A close frame (`going away`), then the TCP close without waiting for the answer.
    func close() {
        guard let context else { return }
        var data = context.channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .goingAway)
        sendClose(data, context: context)
    }

    private func sendClose(_ data: ByteBuffer, context: ChannelHandlerContext) {
        let channel = context.channel
        guard !closeSent else {
            channel.close(promise: nil)
            return
        }
        closeSent = true
        forget()
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
            .whenComplete { _ in channel.close(promise: nil) }
    }

    private func text(_ bytes: [UInt8], _ context: ChannelHandlerContext) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .text, data: context.channel.allocator.buffer(bytes: bytes))
    }

    /// Slack's `hello`, shaped like the simulator's (reference/slack.md §1.3).
    static func hello(numConnections: Int, appID: String) -> [UInt8] {
        let frame: JSONValue = [
            "type": "hello", "num_connections": .number(Double(numConnections)),
            "debug_info": ["host": "applink-load-1", "build_number": 1, "approximate_connection_time": 18060],
            "connection_info": ["app_id": .string(appID)],
        ]
        return frame.encodedBytes()
    }
}
