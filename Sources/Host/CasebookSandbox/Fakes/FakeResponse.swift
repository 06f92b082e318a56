import CasebookKit
import Foundation

/// What a route answers. Content-Length is always computed from `body` when it is sent.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(value.encodedBytes()))
    }

    public static func text(_ text: String, status: Int, contentType: String = "text/plain") -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", contentType)], body: Data(text.utf8))
    }

    /// A status with no body (204s, bare 429s).
    public static func status(_ status: Int) -> FakeResponse {
        FakeResponse(status: status)
    }

    /// Adds headers after the existing ones.
    public func adding(headers more: [(String, String)]) -> FakeResponse {
        var copy = self
        copy.headers += more
        return copy
    }
}
