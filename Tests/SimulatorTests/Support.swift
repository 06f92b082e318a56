import AsyncHTTPClient
import CasebookKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SlackSimulator
import Synchronization
import WSClient

/// A Web API answer as a client sees it.
struct APIAnswer {
    var status: Int
    var json: JSONValue
    var headers: [String: String]
    var ok: Bool { json["ok"]?.bool == true }
    var error: String? { json["error"]?.string }
}

enum Client {
    static func post(_ url: String, body: Data, contentType: String?, authorization: String?) async throws -> APIAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 10 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let data = Data(buffer.readableBytesView)
        return APIAnswer(
            status: Int(response.status.code),
            json: (try? JSONValue.decode(data)) ?? .string(String(decoding: data, as: UTF8.self)), headers: headers)
    }

    /// A form-encoded call with the token in the Authorization header (or none).
    static func form(_ simulator: SlackSimulator, _ method: String, _ fields: [String: String] = [:], token: String? = "bot") async throws -> APIAnswer {
        let body = fields.sorted { $0.key < $1.key }.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        return try await post(
            simulator.apiURL + method, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded",
            authorization: bearer(simulator, token))
    }

    /// A JSON call with the token in the Authorization header (or none).
    static func json(_ simulator: SlackSimulator, _ method: String, _ body: JSONValue, token: String? = "bot") async throws -> APIAnswer {
        try await post(
            simulator.apiURL + method, body: Data(body.encoded().utf8), contentType: "application/json; charset=utf-8",
            authorization: bearer(simulator, token))
    }

    static func bearer(_ simulator: SlackSimulator, _ token: String?) -> String? {
        switch token {
        case nil: return nil
        case "bot": return "Bearer \(simulator.botToken)"
        case "app": return "Bearer \(simulator.appToken)"
        case let other?: return "Bearer \(other)"
        }
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}

/// A clock tests move by hand.
final class TestClock: WallClock {
    private let current = Mutex(Date(timeIntervalSince1970: 1_750_000_000))
    func now() -> Date { current.withLock { $0 } }
    func sleep(until deadline: Date) async throws {}
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// A Socket Mode client on a real WebSocket: yields every text frame and acks envelopes with
/// `ackPayload` (or not at all when `ack` is false).
final class SocketClient: Sendable {
    let frames: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init() {
        (frames, continuation) = AsyncStream<String>.makeStream()
    }

    func run(url: String, ack: Bool = true, ackPayload: JSONValue? = nil) async throws {
        let continuation = self.continuation
        defer { continuation.finish() }
        try await WebSocketClient.connect(url: url, logger: Logger(label: "test-socket")) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: 1 << 22) {
                guard case .text(let text) = message else { continue }
                continuation.yield(text)
                if ack, let id = (try? JSONValue.decode(text))?["envelope_id"]?.string {
                    var frame: [String: JSONValue] = ["envelope_id": .string(id)]
                    if let ackPayload { frame["payload"] = ackPayload }
                    try await outbound.write(.text(JSONValue.object(frame).encoded()))
                }
            }
        }
    }
}

extension AsyncStream<String>.Iterator {
    mutating func nextJSON() async -> JSONValue? {
        guard let text = await next() else { return nil }
        return try? JSONValue.decode(text)
    }
}

/// Opens a Socket Mode URL through the Web API, as a client must before every connect.
func openSocketURL(_ simulator: SlackSimulator) async throws -> String {
    let answer = try await Client.form(simulator, "apps.connections.open", token: "app")
    guard let url = answer.json["url"]?.string else { throw SimulatorError("no url: \(answer.json.encoded())") }
    return url
}
