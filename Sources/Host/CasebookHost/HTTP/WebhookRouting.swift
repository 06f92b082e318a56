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
///
/// Each request runs in a ``TraceContext``: the caller's, when it sends a W3C `traceparent` (an
/// Alertmanager or OnCall behind a tracing proxy), so the jobs and integration calls it causes
/// continue that trace; a new one otherwise. The answer names it in `X-Request-Id`.
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
        let trace = TraceContext.continuing(traceparent: headers["traceparent"]) ?? .start()
        guard let answer = await TraceContext.$current.withValue(trace, operation: { await routing.route(plugin: plugin, webhook) }) else {
            return Response(status: .notFound, headers: Self.headers(trace))
        }
        var responseHeaders = Self.headers(trace)
        responseHeaders[.contentType] = answer.contentType
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: responseHeaders,
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }

    /// `X-Request-Id: <correlation id>`.
    static func headers(_ trace: TraceContext) -> HTTPFields {
        var headers = HTTPFields()
        if let name = HTTPFields.Element.Name("X-Request-Id") { headers[name] = trace.correlationID }
        return headers
    }
}
