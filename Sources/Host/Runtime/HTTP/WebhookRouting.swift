import CasebookKit
import Hummingbird

/// Where `/hooks/<plugin>/…` requests go: the plugin registry maps the plugin id to the plugin's
/// webhook handler. `nil` means no such plugin or route, answered with 404.
public protocol WebhookRouting: Sendable {
    func route(plugin: String, _ request: WebhookRequest) async -> WebhookResponse?
    /// Whether `plugin` serves `method` on `path`: asked before the body is read, so a request for
    /// a route nobody serves is answered 404 without buffering its body.
    func serves(plugin: String, method: WebhookRequest.Method, path: String) -> Bool
}

extension WebhookRouting {
    public func serves(plugin: String, method: WebhookRequest.Method, path: String) -> Bool { true }
}

/// Turns Hummingbird requests under `/hooks/<plugin>/` into Kit `WebhookRequest`s and back.
struct WebhookEndpoint: Sendable {
    let routing: any WebhookRouting
    let maxBodySize: Int

    @Sendable func respond(to request: Request, context: some RequestContext) async throws -> Response {
        guard let plugin = context.parameters.get("plugin"),
              let method = WebhookRequest.Method(rawValue: request.method.rawValue)
        else { return Response(status: .notFound) }
        let path = context.parameters.getCatchAll().joined(separator: "/")
        guard routing.serves(plugin: plugin, method: method, path: path) else { return Response(status: .notFound) }
        var request = request
        // Raw bytes, untouched, so plugins can check their provider's signature.
        let body = try await request.collectBody(upTo: maxBodySize)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            query[String(name)] = String(value)
        }
        let webhook = WebhookRequest(
            method: method,
            path: path,
            headers: headers,
            query: query,
            body: Data(body.readableBytesView)
        )
        guard let answer = await routing.route(plugin: plugin, webhook) else {
            return Response(status: .notFound)
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: answer.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}
