import AsyncHTTPClient
import CasebookHost
import CasebookKit
import Foundation
import NIOCore
import NIOHTTP1
import SlackSimulator

/// The in-process mode's wire: what the host's Web API client sends (calls, uploads and
/// `response_url` posts) goes to the simulator's own handlers as bytes, without a socket. The client
/// keeps its body encoding, retries and error mapping; only the network is left out.
struct InProcessSlack: SlackHTTPTransport {
    let simulator: SlackSimulator

    func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> SlackHTTPExchange {
        var body = Data()
        if let chunks = request.body {
            for try await chunk in chunks { body.append(contentsOf: chunk.readableBytesView) }
        }
        var headers: [String: String] = [:]
        for (name, value) in request.headers { headers[name] = value }
        let answer = await simulator.answer(request.method.rawValue, url: request.url, headers: headers, body: body)
        return SlackHTTPExchange(
            status: answer.status, headers: HTTPHeaders(answer.headers.map { ($0.key, $0.value) }), body: ByteBuffer(bytes: answer.body))
    }
}
