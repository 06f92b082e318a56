import NIOCore
import NIOWebSocket

/// The hub's handle on one socket, usable from any task: writes and closes go to the socket's
/// ``SocketConnection`` on its loop — directly when the caller already runs there (a delivering
/// task with the loop as executor preference), else with one hop.
struct SocketPeer: Sendable {
    let channel: any Channel
    let connection: NIOLoopBound<SocketConnection>

    /// Writes a frame; `promise` fails when the socket is gone.
    func write(_ frame: WebSocketFrame, promise: EventLoopPromise<Void>?) {
        if channel.eventLoop.inEventLoop {
            connection.value.write(frame, promise: promise)
        } else {
            channel.writeAndFlush(frame, promise: promise)
        }
    }

    /// Writes a text frame and waits until it is written.
    func send(text: ByteBuffer) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .text, data: text))
    }

    func send(_ frame: WebSocketFrame) async throws {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        write(frame, promise: promise)
        try await promise.futureResult.get()
    }

    /// Starts a close handshake after `delay`.
    func close(after delay: Duration, code: WebSocketErrorCode) {
        let connection = self.connection
        if delay <= .zero {
            channel.eventLoop.execute { connection.value.startClose(code, reason: "") }
        } else {
            channel.eventLoop.scheduleTask(in: TimeAmount(delay)) { connection.value.startClose(code, reason: "") }
        }
    }

    /// Closes the TCP connection without a close frame.
    func drop() {
        channel.close(promise: nil)
    }

    /// Closes for the simulator's shutdown; returns when the socket is closed.
    func shutdown() async {
        let connection = self.connection
        channel.eventLoop.execute { connection.value.shutdown() }
        try? await channel.closeFuture.get()
    }
}
