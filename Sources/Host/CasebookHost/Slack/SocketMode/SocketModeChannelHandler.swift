import CasebookKit
import CasebookNIO
import NIOCore
import NIOSSL
import NIOWebSocket

/// One text message from Slack, parsed on the event loop that read it, and when it arrived.
struct ReceivedSocketModeMessage: Sendable {
    var message: SocketModeMessage
    var receivedAt: ContinuousClock.Instant
}

/// The client end of a Socket Mode WebSocket, sitting on the frame decoder and encoder the
/// upgrade installs. It assembles messages, parses each text message into a `SocketModeMessage`
/// on the loop and hands it to the socket's reader task through `messages`; it answers pings,
/// checks liveness with its own pings, and runs the close handshake.
///
/// Acks are written without a flush, and at most one flush is scheduled per event-loop tick, so
/// acks written in the same tick leave in one `writev` instead of one syscall each. Every state
/// change happens on the channel's event loop (`SocketLink` hops there when called elsewhere).
final class SocketModeChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let messages: AsyncThrowingStream<ReceivedSocketModeMessage, any Error>.Continuation
    private let pingInterval: TimeAmount
    private let closeTimeout: TimeAmount
    private var assembler: WebSocketMessageAssembler
    private var maskKeys = MaskingKeySource()
    private var context: ChannelHandlerContext?
    /// The frame encoder's place in the pipeline: acks, encoded and masked here in one buffer,
    /// are written from there, below the encoder, which masks byte by byte and writes the header
    /// as a separate buffer. Other frames go through the encoder.
    private var belowEncoder: ChannelHandlerContext?
    private var flushScheduled = false
    /// Whether any frame arrived since the last ping went out (a pong, or anything else).
    private var heardSincePing = true
    private var pingTimer: Scheduled<Void>?
    private var closeTimer: Scheduled<Void>?
    /// Set once our close frame is written: nothing may follow it (RFC 6455 §5.5.1).
    private var closeFrameSent = false
    /// Why the connection ended, when it ended badly; the reader sees it as the stream's error.
    private var failure: (any Error)?

    init(
        maxMessageSize: Int, pingInterval: Duration, closeTimeout: Duration,
        messages: AsyncThrowingStream<ReceivedSocketModeMessage, any Error>.Continuation
    ) {
        assembler = WebSocketMessageAssembler(maxMessageSize: maxMessageSize)
        self.pingInterval = TimeAmount(pingInterval)
        self.closeTimeout = TimeAmount(closeTimeout)
        self.messages = messages
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        belowEncoder = try? context.pipeline.syncOperations.context(handlerType: WebSocketFrameEncoder.self)
        guard context.channel.isActive else {
            finishMessages()
            return
        }
        schedulePing(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        belowEncoder = nil
        cancelTimers()
        finishMessages()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        finishMessages()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {
            // The peer dropped TCP without TLS close_notify: a close like any other.
        } else if failure == nil {
            failure = error
        }
        if error is NIOWebSocketError {
            // `WebSocketProtocolErrorHandler` already sent the close frame (1009 for an oversized
            // frame) and closes once it is written; nothing may follow it.
            closeFrameSent = true
        } else {
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let received = unwrapInboundIn(data)
        heardSincePing = true
        let message: WebSocketMessageAssembler.Message?
        do {
            message = try assembler.receive(received)
        } catch {
            failure = failure ?? SocketLinkError.protocolViolation(code: error.code, reason: error.reason)
            sendCloseThenClose(context, code: error.code)
            return
        }
        switch message {
        case .text(let payload):
            let receivedAt = ContinuousClock.now
            messages.yield(ReceivedSocketModeMessage(message: SocketModeMessage(bytes: payload.readableBytesView), receivedAt: receivedAt))
        case .ping(let payload):
            guard !closeFrameSent else { return }
            context.writeAndFlush(wrapOutboundOut(frame(.pong, payload)), promise: nil)
        case .close(let code, _):
            if closeFrameSent {
                // The peer answered our close: the handshake is complete.
                context.close(promise: nil)
            } else {
                sendCloseThenClose(context, code: code)
            }
        case .binary, .pong, nil:
            // Slack sends only JSON text; binary messages are ignored as its SDKs do. A pong
            // counts through `heardSincePing`.
            break
        }
    }

    // MARK: Commands from the socket's tasks (on the loop)

    /// Writes a text message; flushed with everything else written in this loop tick.
    func sendText(_ bytes: [UInt8], promise: EventLoopPromise<Void>?) {
        guard let context, !closeFrameSent else {
            promise?.fail(SocketLinkError.closed)
            return
        }
        if let belowEncoder {
            var encoded = context.channel.allocator.buffer(capacity: bytes.count + 14)
            encoded.writeWebSocketFrame(opcode: .text, payload: bytes, maskKey: maskKeys.nextKey())
            belowEncoder.write(NIOAny(encoded), promise: promise)
        } else {
            context.write(wrapOutboundOut(frame(.text, context.channel.allocator.buffer(bytes: bytes))), promise: promise)
        }
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            self.context?.flush()
        }
    }

    /// Starts the close handshake: sends the close frame, then drops the connection when the
    /// peer's close arrives or `closeTimeout` passes, whichever is first.
    func close(code: WebSocketErrorCode) {
        guard let context, !closeFrameSent else { return }
        closeFrameSent = true
        context.writeAndFlush(wrapOutboundOut(closeFrame(context, code: code)), promise: nil)
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: closeTimeout) {
            context.close(promise: nil)
        }
    }

    // MARK: Internals

    private func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: maskKeys.nextKey(), data: data)
    }

    private func closeFrame(_ context: ChannelHandlerContext, code: WebSocketErrorCode?) -> WebSocketFrame {
        var body = context.channel.allocator.buffer(capacity: 2)
        if let code { body.write(webSocketErrorCode: code) }
        return frame(.connectionClose, body)
    }

    /// Answers (or sends) a close frame and drops the connection once it is written.
    private func sendCloseThenClose(_ context: ChannelHandlerContext, code: WebSocketErrorCode?) {
        guard !closeFrameSent else {
            context.close(promise: nil)
            return
        }
        closeFrameSent = true
        context.writeAndFlush(wrapOutboundOut(closeFrame(context, code: code)))
            .assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    /// Every `pingInterval`: close if nothing was heard since the last ping, else ping again.
    private func schedulePing(_ context: ChannelHandlerContext) {
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: pingInterval) { [self] in
            guard let context = self.context, !closeFrameSent else { return }
            guard heardSincePing else {
                failure = failure ?? SocketLinkError.pingUnanswered
                context.close(promise: nil)
                return
            }
            heardSincePing = false
            context.writeAndFlush(wrapOutboundOut(frame(.ping, context.channel.allocator.buffer(capacity: 0))), promise: nil)
            schedulePing(context)
        }
    }

    private func cancelTimers() {
        pingTimer?.cancel()
        pingTimer = nil
        closeTimer?.cancel()
        closeTimer = nil
    }

    private func finishMessages() {
        if let failure {
            messages.finish(throwing: failure)
        } else {
            messages.finish()
        }
    }
}
