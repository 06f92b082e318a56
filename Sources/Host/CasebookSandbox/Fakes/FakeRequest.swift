import CasebookKit
import Foundation

/// One request as a fake received it, kept whole so a test can assert on exactly what a client
/// sent (query order and repetition included: PagerDuty's `ids[]=a&ids[]=b` is a list).
public struct FakeRequest: Sendable {
    public var method: String
    /// The path without its query, percent-decoding left to the route.
    public var path: String
    /// Query pairs, percent-decoded, in the order sent; a repeated name appears once per value.
    public var query: [(name: String, value: String)]
    /// Header names lowercased; a repeated header's values joined with ", " (RFC 9110 §5.3).
    public var headers: [String: String]
    public var body: Data
    /// The `:param` and `**` captures of the route that answered (empty before routing).
    public var pathParameters: [String: String]
    public var receivedAt: Date

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: [String: String] = [:],
        body: Data = Data(), pathParameters: [String: String] = [:], receivedAt: Date = Date()
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
        self.receivedAt = receivedAt
    }

    /// Every value of a query parameter, in order (`queryValues("user_ids[]")`).
    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }

    /// The body parsed as JSON; nil when it is empty or not JSON.
    public var json: JSONValue? {
        body.isEmpty ? nil : try? JSONValue.decode(body)
    }

    /// `METHOD /path`, the start of every call-log line.
    public var line: String { "\(method) \(path)" }
}

extension FakeRequest {
    /// Splits a request target (`/path?a=1&b[]=2`) into its decoded path and query pairs.
    static func split(target: String) -> (path: String, query: [(name: String, value: String)]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts.first.map(String.init) ?? "/"
        guard parts.count == 2 else { return (path.isEmpty ? "/" : path, []) }
        let query = parts[1].split(separator: "&").map { pair -> (name: String, value: String) in
            let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeQueryComponent(halves[0])
            return (name, halves.count == 2 ? decodeQueryComponent(halves[1]) : "")
        }
        return (path.isEmpty ? "/" : path, query)
    }

    /// Form-style decoding: `+` is a space, `%XX` a byte; malformed escapes stay as they are.
    static func decodeQueryComponent(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
