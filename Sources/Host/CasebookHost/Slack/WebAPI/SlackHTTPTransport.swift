import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Carries the Web API client's HTTP exchanges (method calls, uploads) when the network should
/// not: the test host's in-process mode hands them to the Slack simulator's handlers without a
/// socket. Retries, pacing and error mapping stay the client's, whichever carries the bytes.
public protocol SlackHTTPTransport: Sendable {
    /// One exchange, the response body collected.
    func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> SlackHTTPExchange
}

/// What one HTTP exchange with Slack came back with.
public struct SlackHTTPExchange: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ByteBuffer

    public init(status: Int, headers: HTTPHeaders = [:], body: ByteBuffer) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
