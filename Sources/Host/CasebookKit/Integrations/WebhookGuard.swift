/// A webhook request refused with a status and a one-line reason (`{"ok":false,"error":"…"}`).
/// Throw it from a webhook handler; the guarded route turns it into the response.
public struct WebhookRejection: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String

    public init(status: Int, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public static func badRequest(_ reason: String) -> WebhookRejection { WebhookRejection(status: 400, reason) }

    public var response: WebhookResponse {
        .json(["ok": false, "error": .string(reason)], status: status)
    }
}

extension WebhookRequest {
    /// The body as a JSON object, or a 400 rejection saying why not.
    public func jsonObject() throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.decode(body)
        } catch {
            throw WebhookRejection.badRequest("the body is not valid JSON")
        }
        guard case .object(let object) = value else { throw WebhookRejection.badRequest("the body is not a JSON object") }
        return object
    }
}

extension Routes {
    /// A webhook at `/hooks/<plugin-id>/<path>` that answers 413 above `maxBodySize` and 401 to a
    /// request `authentication` does not accept — both before the handler runs, so an
    /// unauthenticated request is never parsed and changes nothing. A ``WebhookRejection`` thrown by
    /// the handler becomes its response.
    public mutating func webhook<Context: RouteContext>(
        _ method: WebhookRequest.Method, _ path: String, authentication: WebhookAuthentication, maxBodySize: Int = 1 << 20,
        use handler: @escaping Method<WebhookRequest, WebhookResponse, Context>
    ) {
        webhook(method, path, use: { (plugin: P) in { (request: WebhookRequest, invocation: InvocationContext) in
            guard request.body.count <= maxBodySize else {
                return WebhookRejection(status: 413, "the body is larger than \(maxBodySize) bytes").response
            }
            guard authentication.accepts(request, now: invocation.clock.now()) else {
                return WebhookRejection(status: 401, "missing or invalid credentials").response
            }
            do {
                return try await handler(plugin)(request, Context(invocation: invocation))
            } catch let rejection as WebhookRejection {
                return rejection.response
            }
        } })
    }

    public mutating func webhook(
        _ method: WebhookRequest.Method, _ path: String, authentication: WebhookAuthentication, maxBodySize: Int = 1 << 20,
        _ handler: @escaping Handler<WebhookRequest, WebhookResponse>
    ) {
        webhook(method, path, authentication: authentication, maxBodySize: maxBodySize, use: Self.method(handler))
    }
}
