import AsyncHTTPClient
import CasebookKit
import NIOCore
import NIOHTTP1
import SlackSimulator
import Testing

/// The Socket Mode listener at the wire level: its own port, ticket checks, fragments, control frames.
@Suite struct SocketListenerTests {
    /// `ws://127.0.0.1:PORT/path…` split into port and path.
    func split(_ url: String) throws -> (port: Int, path: String) {
        let prefix = "ws://127.0.0.1:"
        #expect(url.hasPrefix(prefix))
        let rest = url.dropFirst(prefix.count)
        let slash = try #require(rest.firstIndex(of: "/"))
        return (try #require(Int(rest[..<slash])), String(rest[slash...]))
    }

    /// Upgrades with a fresh ticket and reads `hello`.
    func connect(_ sim: SlackSimulator, _ socket: RawSocket) async throws {
        let (_, path) = try split(try await openSocketURL(sim))
        let head = try await socket.upgrade(path: path)
        #expect(head.hasPrefix("HTTP/1.1 101"), "\(head)")
        let hello = try #require(try await socket.nextFrame())
        #expect(hello.opcode == RawSocket.text && hello.fin)
        #expect(!hello.masked, "server frames are not masked")
        #expect(try JSONValue.decode(hello.text)["type"]?.string == "hello")
    }

    @Test func socketURLPointsAtItsOwnListener() async throws {
        try await SlackSimulator.withRunning { sim in
            let (port, path) = try split(try await openSocketURL(sim))
            #expect(port == sim.socketPort)
            #expect(port != sim.port)
            #expect(path.hasPrefix("/link/?ticket="))
            #expect(path.hasSuffix("&app_id=A0CASEBOOK"))
        }
    }

    @Test func socketURLsCanPointAtAnotherServer() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.handOutSockets(at: "ws://127.0.0.1:9")
            let elsewhere = try await openSocketURL(sim)
            #expect(elsewhere.hasPrefix("ws://127.0.0.1:9/link/?ticket="))
            sim.handOutSockets(at: nil)
            let (port, _) = try split(try await openSocketURL(sim))
            #expect(port == sim.socketPort)
        }
    }

    @Test func aReusedTicketOrAPlainRequestIsRefused() async throws {
        try await SlackSimulator.withRunning { sim in
            let (port, path) = try split(try await openSocketURL(sim))
            try await RawSocket.with(port: port) { first in
                #expect(try await first.upgrade(path: path).hasPrefix("HTTP/1.1 101"))
                try await sim.waitForSockets(1)
                let (head, body) = try await RawSocket.with(port: port) { second in
                    (try await second.upgrade(path: path), try await second.readToEnd())
                }
                #expect(head.hasPrefix("HTTP/1.1 403"), "\(head)")
                #expect(body == "invalid or already used ticket")
            }
            let (head, _) = try await RawSocket.with(port: port) { socket in
                (try await socket.upgrade(path: "/link/?ticket=never-issued"), try await socket.readToEnd())
            }
            #expect(head.hasPrefix("HTTP/1.1 403"), "\(head)")
            let plain = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/link"), timeout: .seconds(10))
            #expect(plain.status == .forbidden)
            #expect(sim.acceptedSocketCount == 1)
        }
    }

    @Test func aFragmentedAckIsReassembledAndMatched() async throws {
        try await SlackSimulator.withRunning { sim in
            let port = try #require(sim.socketPort)
            try await RawSocket.with(port: port) { socket in
                try await connect(sim, socket)
                let command = try sim.slashCommand(user: "alice", channel: "incidents", command: "/case", text: "list")
                async let delivered = sim.deliver(.slashCommands, payload: command)
                let envelope = try #require(try await socket.nextFrame())
                #expect(!envelope.masked)
                let id = try #require(try JSONValue.decode(envelope.text)["envelope_id"]?.string)
                let ack = Array(JSONValue.object(["envelope_id": .string(id), "payload": ["text": "Cases: none"]]).encoded().utf8)
                let third = ack.count / 3
                try await socket.send(RawSocket.text, fin: false, Array(ack[..<third]))
                // A control frame may come between the fragments of a message.
                try await socket.send(RawSocket.ping, "mid")
                try await socket.send(RawSocket.continuation, fin: false, Array(ack[third..<(2 * third)]))
                try await socket.send(RawSocket.continuation, fin: true, Array(ack[(2 * third)...]))
                let pong = try #require(try await socket.nextFrame())
                #expect(pong.opcode == RawSocket.pong && pong.text == "mid")
                let result = try await delivered
                #expect(result.acked)
                #expect(result.envelopeID == id)
                #expect(result.payload?["text"]?.string == "Cases: none")
                #expect(sim.unmatchedFrames.isEmpty)
            }
        }
    }

    @Test func aClientPingGetsAPong() async throws {
        try await SlackSimulator.withRunning { sim in
            try await RawSocket.with(port: try #require(sim.socketPort)) { socket in
                try await connect(sim, socket)
                try await socket.send(RawSocket.ping, "are you there")
                let pong = try #require(try await socket.nextFrame())
                #expect(pong == RawSocket.Frame(fin: true, opcode: RawSocket.pong, masked: false, payload: Array("are you there".utf8)))
            }
        }
    }

    @Test func aClientCloseGetsACloseReplyAndTheSocketCloses() async throws {
        try await SlackSimulator.withRunning { sim in
            try await RawSocket.with(port: try #require(sim.socketPort)) { socket in
                try await connect(sim, socket)
                try await sim.waitForSockets(1)
                try await socket.send(RawSocket.close, [0x03, 0xE8] + Array("bye".utf8))
                let reply = try #require(try await socket.nextFrame())
                #expect(reply.opcode == RawSocket.close && !reply.masked)
                #expect(Array(reply.payload.prefix(2)) == [0x03, 0xE8], "the status code is echoed")
                #expect(try await socket.nextFrame() == nil, "the server closes the TCP connection")
                try await sim.waitForSockets(0)
            }
        }
    }

    @Test func anUnmatchedTextFrameIsKept() async throws {
        try await SlackSimulator.withRunning { sim in
            try await RawSocket.with(port: try #require(sim.socketPort)) { socket in
                try await connect(sim, socket)
                try await socket.send(RawSocket.text, #"{"envelope_id":"nobody-waits"}"#)
                try await socket.send(RawSocket.text, "not json")
                // A ping round trip orders the check after both frames were read.
                try await socket.send(RawSocket.ping, "sync")
                #expect(try await socket.nextFrame()?.opcode == RawSocket.pong)
                #expect(sim.unmatchedFrames == [#"{"envelope_id":"nobody-waits"}"#, "not json"])
            }
        }
    }
}
