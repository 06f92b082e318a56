import AsyncHTTPClient
import CasebookKit
import NIOCore
import NIOHTTP1

extension SandboxHost {
    /// What the host answered an HTTP request.
    public struct HTTPAnswer: Sendable {
        public var status: Int
        public var body: Data
        /// Header names lowercased.
        public var headers: [String: String] = [:]
        public var json: JSONValue? { try? JSONValue.decode(body) }
    }

    /// Sends a real HTTP request to the host's port, as Grafana OnCall or Alertmanager would:
    /// `path` is e.g. `/hooks/alerts/grafana-oncall`.
    @discardableResult
    public func request(
        _ method: String = "POST", _ path: String, body: Data = Data(), headers: [String: String] = ["Content-Type": "application/json"]
    ) async throws -> HTTPAnswer {
        guard let port = httpPort else { throw SimulatorError("the host's HTTP server is not running") }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await httpClient.execute(request, timeout: .seconds(10))
        let collected = try await response.body.collect(upTo: 4 << 20)
        var answerHeaders: [String: String] = [:]
        for (name, value) in response.headers { answerHeaders[name.lowercased()] = value }
        return HTTPAnswer(status: Int(response.status.code), body: Data(collected.readableBytesView), headers: answerHeaders)
    }
}
