import NIOCore
import NIOWebSocket

/// Turns WebSocket frames into whole messages (RFC 6455 §5.4–5.5): joins fragments, unmasks
/// (a server receives masked frames, a client unmasked ones), enforces a size limit, and surfaces
/// control frames so the connection can answer them. Shared by the Socket Mode client and the
/// simulator's Socket Mode server, which both sit directly on NIO channel handlers.
public struct WebSocketMessageAssembler: Sendable {
    public enum Message: Sendable, Equatable {
        case text(ByteBuffer)
        case binary(ByteBuffer)
        case ping(ByteBuffer)
        case pong(ByteBuffer)
        /// The peer's close frame: its status code (nil when it sent none) and reason.
        case close(code: WebSocketErrorCode?, reason: String)
    }

    /// A frame sequence the protocol forbids; the connection should close with `code`.
    public struct ProtocolViolation: Error, Sendable, Equatable {
        public var code: WebSocketErrorCode
        public var reason: String
    }

    public let maxMessageSize: Int
    private var partial: ByteBuffer?
    private var partialIsText = false

    public init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Feeds one frame; returns a message when one is complete, nil while a fragmented one is still
    /// arriving.
    public mutating func receive(_ frame: WebSocketFrame) throws(ProtocolViolation) -> Message? {
        switch frame.opcode {
        case .text, .binary:
            guard partial == nil else { throw ProtocolViolation(code: .protocolError, reason: "new message before the last one ended") }
            let data = frame.payload
            guard data.readableBytes <= maxMessageSize else { throw ProtocolViolation(code: .messageTooLarge, reason: "message too large") }
            if frame.fin { return frame.opcode == .text ? .text(data) : .binary(data) }
            partial = data
            partialIsText = frame.opcode == .text
            return nil
        case .continuation:
            guard var buffer = partial else { throw ProtocolViolation(code: .protocolError, reason: "continuation without a message") }
            var data = frame.payload
            guard buffer.readableBytes + data.readableBytes <= maxMessageSize else {
                partial = nil
                throw ProtocolViolation(code: .messageTooLarge, reason: "message too large")
            }
            partial = nil
            buffer.writeBuffer(&data)
            if frame.fin { return partialIsText ? .text(buffer) : .binary(buffer) }
            partial = buffer
            return nil
        case .ping, .pong, .connectionClose:
            // Control frames may arrive between fragments but are never fragmented themselves.
            guard frame.fin, frame.length <= 125 else { throw ProtocolViolation(code: .protocolError, reason: "invalid control frame") }
            var data = frame.payload
            switch frame.opcode {
            case .ping: return .ping(data)
            case .pong: return .pong(data)
            default:
                let code = data.readWebSocketErrorCode()
                return .close(code: code, reason: data.readString(length: data.readableBytes) ?? "")
            }
        default:
            throw ProtocolViolation(code: .protocolError, reason: "reserved opcode")
        }
    }
}
