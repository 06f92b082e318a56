import AsyncHTTPClient
import CasebookKit
import NIOCore
import NIOHTTP1

/// Posts a message to a `response_url` (a reply that missed the ack, or a reply to a button click).
public protocol ResponseURLPosting: Sendable {
    func post(_ url: String, body: JSONValue) async throws
}

/// The AsyncHTTPClient implementation: `response_url` needs no token, only JSON.
public struct HTTPResponseURLPoster: ResponseURLPosting {
    let client: HTTPClient

    public init(client: HTTPClient) { self.client = client }

    public func post(_ url: String, body: JSONValue) async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: body.encoded()))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw SlackAPIError(method: "response_url", code: "http_\(response.status.code)")
        }
    }
}
