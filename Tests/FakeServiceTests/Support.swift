import AsyncHTTPClient
import CasebookKit
import CasebookTesting
import Foundation
import NIOCore
import NIOHTTP1

/// An answer as a client sees it.
struct Answer {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var json: JSONValue? { try? JSONValue.decode(body) }
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// Real HTTP requests over loopback, as an integration's client makes them.
enum HTTP {
    static func send(
        _ method: HTTPMethod, _ url: String, json: JSONValue? = nil, body: Data? = nil,
        headers: [(String, String)] = [], timeout: TimeAmount = .seconds(5)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json.encodedBytes()))
        } else if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let buffer = try await response.body.collect(upTo: 20 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(buffer.readableBytesView))
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> Answer {
        try await send(.GET, url, headers: headers)
    }
}

/// A fake a test starts, uses and stops whatever happens.
protocol Startable: Sendable {
    func start() async throws
    func stop() async
}

extension FakeService: Startable {}
extension FakePagerDuty: Startable {}
extension FakeStatuspage: Startable {}
extension FakeStatusPages: Startable {}

extension Startable {
    func running(_ body: (Self) async throws -> Void) async throws {
        try await start()
        do {
            try await body(self)
            await stop()
        } catch {
            await stop()
            throw error
        }
    }
}
