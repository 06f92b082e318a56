/// An HTTP request to `/hooks/<plugin-id>/<path>`, with the raw body so that signatures can be checked.
public struct WebhookRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT", delete = "DELETE" }
    public var method: Method
    /// The path below `/hooks/<plugin-id>/`.
    public var path: String
    /// Header names lowercased.
    public var headers: [String: String]
    public var query: [String: String]
    public var body: Data

    public init(method: Method, path: String, headers: [String: String] = [:], query: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.body = body
    }

    public func json() throws -> JSONValue { try JSONValue.decode(body) }
}

public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: Data

    public init(status: Int, contentType: String = "application/json", body: Data = Data()) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    public static func json(_ value: JSONValue, status: Int = 200) -> WebhookResponse {
        WebhookResponse(status: status, body: Data(value.encoded().utf8))
    }

    public static let accepted = WebhookResponse(status: 202, body: Data("{\"ok\":true}".utf8))
}
