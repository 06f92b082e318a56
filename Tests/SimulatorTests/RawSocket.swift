import NIOCore
import NIOPosix
import SlackSimulator

/// A WebSocket client at the byte level, for what a well-behaved client library never sends
/// (fragments, pings mid-message) and for checking the server's frames as they are on the wire.
final class RawSocket {
    struct Frame: Equatable {
        var fin: Bool
        var opcode: UInt8
        var masked: Bool
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    static let text: UInt8 = 0x1, continuation: UInt8 = 0x0, close: UInt8 = 0x8, ping: UInt8 = 0x9, pong: UInt8 = 0xA

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer = ByteBuffer()

    private init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects to `ws://127.0.0.1:PORT…` (only the port of `url` is used) and runs `body`.
    static func with<T>(port: Int, _ body: (RawSocket) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawSocket(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    /// Sends an upgrade request for `path`; returns the response head (status line and headers).
    func upgrade(path: String) async throws -> String {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try await outbound.write(ByteBuffer(string: request))
        while true {
            let view = Array(buffer.readableBytesView)
            if let end = view.firstRange(of: Array("\r\n\r\n".utf8)) {
                buffer.moveReaderIndex(forwardBy: end.upperBound)
                return String(decoding: view[..<end.lowerBound], as: UTF8.self)
            }
            guard try await fill() else { throw SimulatorError("closed before a response head") }
        }
    }

    /// Everything the server sends until it closes the connection.
    func readToEnd() async throws -> String {
        while try await fill() {}
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    /// Sends one frame, masked as a client must.
    func send(_ opcode: UInt8, fin: Bool = true, _ payload: [UInt8]) async throws {
        let key: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var frame = ByteBuffer()
        frame.writeInteger((fin ? 0x80 : 0) | opcode)
        if payload.count < 126 {
            frame.writeInteger(0x80 | UInt8(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        }
        frame.writeBytes(key)
        frame.writeBytes(payload.enumerated().map { $0.element ^ key[$0.offset % 4] })
        try await outbound.write(frame)
    }

    func send(_ opcode: UInt8, fin: Bool = true, _ text: String) async throws {
        try await send(opcode, fin: fin, Array(text.utf8))
    }

    /// The next frame from the server; nil when it closed the connection.
    func nextFrame() async throws -> Frame? {
        while true {
            if let frame = parse() { return frame }
            guard try await fill() else { return nil }
        }
    }

    private func parse() -> Frame? {
        var view = buffer
        guard let first = view.readInteger(as: UInt8.self), let second = view.readInteger(as: UInt8.self) else { return nil }
        var length = Int(second & 0x7F)
        if length == 126 {
            guard let extended = view.readInteger(as: UInt16.self) else { return nil }
            length = Int(extended)
        } else if length == 127 {
            guard let extended = view.readInteger(as: UInt64.self) else { return nil }
            length = Int(extended)
        }
        let masked = second & 0x80 != 0
        var key: [UInt8] = [0, 0, 0, 0]
        if masked {
            guard let bytes = view.readBytes(length: 4) else { return nil }
            key = bytes
        }
        guard let payload = view.readBytes(length: length) else { return nil }
        buffer = view
        return Frame(
            fin: first & 0x80 != 0, opcode: first & 0x0F, masked: masked,
            payload: payload.enumerated().map { $0.element ^ key[$0.offset % 4] })
    }

    private func fill() async throws -> Bool {
        guard var more = try await inbound.next() else { return false }
        buffer.writeBuffer(&more)
        return true
    }
}
