import AsyncHTTPClient
import CasebookHost
import CasebookKit
import CasebookTesting
import NIOCore
import NIOWebSocket
import WSClient

/// The floor under the ack benchmark: a Socket Mode client on the same WebSocket stack as the host
/// (WSClient over NIO) that parses each envelope and acks `pong` at once, with no dispatcher,
/// middleware or plugin. Whatever it cannot reach on this machine, no host built on that stack can.
struct BareSocketClient {
    let simulator: SlackSimulator
    let httpClient: HTTPClient
    let sockets: Int

    /// Runs `sockets` connections until `body` returns.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let api = WebAPIClient(httpClient: httpClient, configuration: WebAPIConfiguration(baseURL: simulator.apiURL), logger: Logger(label: "bench.bare"))
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            for _ in 0..<sockets {
                let url = try await api.openSocketURL(appToken: SlackToken(simulator.appToken))
                group.addTask { try await Self.serve(url: url) }
            }
            try await simulator.waitForSockets(sockets)
            let result = try await body()
            group.cancelAll()
            return result
        }
    }

    private static func serve(url: String) async throws {
        let logger = Logger(label: "bench.bare")
        _ = try await WebSocketClient.connect(url: url, configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 22), logger: logger) { inbound, outbound, _ in
            try await withThrowingDiscardingTaskGroup { envelopes in
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message, let envelopeID = (try? JSONValue.decode(text))?["envelope_id"]?.string else { continue }
                    envelopes.addTask {
                        let ack: JSONValue = ["envelope_id": .string(envelopeID), "payload": ["text": "pong", "response_type": "ephemeral"]]
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: ack.encodedBytes()))))
                    }
                }
            }
        }
    }
}
