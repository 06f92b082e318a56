import CasebookNIO
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@Suite struct WebSocketMessageAssemblerTests {
    private func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true, mask: WebSocketMaskingKey? = nil) -> WebSocketFrame {
        var data = ByteBuffer(string: text)
        if let mask { data.webSocketMask(mask) }
        return WebSocketFrame(fin: fin, opcode: opcode, maskKey: mask, data: data)
    }

    @Test func joinsFragmentsAndUnmasks() throws {
        var assembler = WebSocketMessageAssembler(maxMessageSize: 100)
        let key: WebSocketMaskingKey = [1, 2, 3, 4]
        #expect(try assembler.receive(frame(.text, "{\"a\":", fin: false, mask: key)) == nil)
        // A ping may arrive between fragments and is surfaced at once.
        #expect(try assembler.receive(frame(.ping, "p", mask: key)) == .ping(ByteBuffer(string: "p")))
        #expect(try assembler.receive(frame(.continuation, "1}", mask: key)) == .text(ByteBuffer(string: "{\"a\":1}")))
        #expect(try assembler.receive(frame(.binary, "b")) == .binary(ByteBuffer(string: "b")))
    }

    @Test func refusesOversizedMessagesEvenWhenFragmented() {
        var assembler = WebSocketMessageAssembler(maxMessageSize: 4)
        #expect(throws: WebSocketMessageAssembler.ProtocolViolation.self) { try assembler.receive(frame(.text, "12345")) }
        var fragmented = WebSocketMessageAssembler(maxMessageSize: 4)
        #expect((try? fragmented.receive(frame(.text, "123", fin: false))) == .some(nil))
        #expect(throws: WebSocketMessageAssembler.ProtocolViolation.self) { try fragmented.receive(frame(.continuation, "45")) }
    }

    @Test func refusesBrokenSequences() {
        var assembler = WebSocketMessageAssembler(maxMessageSize: 100)
        #expect(throws: WebSocketMessageAssembler.ProtocolViolation.self) { try assembler.receive(frame(.continuation, "x")) }
        _ = try? assembler.receive(frame(.text, "a", fin: false))
        #expect(throws: WebSocketMessageAssembler.ProtocolViolation.self) { try assembler.receive(frame(.text, "b")) }
        var control = WebSocketMessageAssembler(maxMessageSize: 100)
        #expect(throws: WebSocketMessageAssembler.ProtocolViolation.self) { try control.receive(frame(.ping, "x", fin: false)) }
    }

    @Test func readsCloseCodeAndReason() throws {
        var assembler = WebSocketMessageAssembler(maxMessageSize: 100)
        var data = ByteBuffer()
        data.write(webSocketErrorCode: .goingAway)
        data.writeString("bye")
        #expect(try assembler.receive(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)) == .close(code: .goingAway, reason: "bye"))
        #expect(try assembler.receive(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer())) == .close(code: nil, reason: ""))
    }
}

@Suite struct WebSocketMaskingTests {
    @Test(arguments: [0, 1, 7, 8, 9, 16, 1500])
    func masksLikeNIOAndUnmasksBack(_ length: Int) {
        let key: WebSocketMaskingKey = [0x12, 0x34, 0xAB, 0xCD]
        let original = ByteBuffer(bytes: (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var ours = original
        ours.applyWebSocketMask(key)
        var nios = original
        nios.webSocketMask(key)
        #expect(ours == nios)
        if length > 0 { #expect(ours != original) }
        ours.applyWebSocketMask(key)
        #expect(ours == original)
    }
}

@Suite struct WebSocketFrameWritingTests {
    /// What NIO's own encoder writes for the same frame, header and payload joined.
    private func nioEncoded(_ frame: WebSocketFrame) throws -> ByteBuffer {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        try channel.writeOutbound(frame)
        var joined = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { joined.writeBuffer(&part) }
        _ = try channel.finish()
        return joined
    }

    @Test(arguments: [0, 5, 125, 126, 1500, 65_535, 65_536])
    func writesWhatNIOWrites(_ length: Int) throws {
        let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for key in [nil, WebSocketMaskingKey([9, 8, 7, 6])] {
            var ours = ByteBuffer()
            ours.writeString("prefix")
            _ = ours.readString(length: 6)
            ours.writeWebSocketFrame(opcode: .text, payload: payload, maskKey: key)
            let theirs = try nioEncoded(WebSocketFrame(fin: true, opcode: .text, maskKey: key, data: ByteBuffer(bytes: payload)))
            #expect(ours == theirs)
        }
    }
}
